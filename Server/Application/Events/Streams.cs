using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Events;

/// <summary>The streams a caller listens to, decided here once for every realtime transport (the hub's groups
/// now, /cable's subscriptions next): a contact or agent its own pubsub token (as Chatwoot streams); a contact also its
/// inbox's contacts' stream (whether someone is online there, nothing else); an agent also every agent's stream
/// (presence) and one stream per inbox it is a member of.</summary>
public static class Streams
{
    public const string Agents = "agents";

    public static string Inbox(long inboxId) => $"inbox:{inboxId}";

    /// <summary>The contacts of an inbox: only <see cref="InboxAvailabilityChanged"/> goes there.</summary>
    public static string InboxContacts(long inboxId) => $"inbox-contacts:{inboxId}";

    public static async ValueTask<IReadOnlyList<string>> OfAsync(IStoreReader store, Caller caller)
    {
        if (!caller.IsAgent) return caller.ContactInboxId is { } inboxId ? [caller.PubsubToken, InboxContacts(inboxId)] : [caller.PubsubToken];
        var streams = new List<string> { caller.PubsubToken, Agents };
        foreach (var inboxId in await store.InboxIdsOfAgentAsync(caller.Id)) streams.Add(Inbox(inboxId));
        return streams;
    }
}
