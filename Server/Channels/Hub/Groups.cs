using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Channels.Hub;

/// <summary>SignalR group names: one group per stream (<see cref="Streams"/>).</summary>
public static class Groups
{
    public static string Inbox(long inboxId) => Streams.Inbox(inboxId);
    /// <summary>Every contact connection of an inbox: whether someone is online there goes here.</summary>
    public static string InboxContacts(long inboxId) => Streams.InboxContacts(inboxId);
    /// <summary>Every agent connection: presence changes go here (an extension of API.md).</summary>
    public const string Agents = Streams.Agents;
}
