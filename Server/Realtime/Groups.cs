namespace ChatHub.Server.Realtime;

/// <summary>SignalR group names. A contact's or agent's own group is its pubsub token (API.md).</summary>
public static class Groups
{
    public static string Inbox(long inboxId) => $"inbox:{inboxId}";
    /// <summary>Every agent connection: presence changes go here (an extension of API.md).</summary>
    public const string Agents = "agents";
}
