using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Contacts;

/// <summary>Which contacts and inboxes an agent sees in the application API: those of the inboxes it is a member of;
/// an administrator sees every inbox and every contact (as Chatwoot's administrators do). Anything else is "not
/// found", so that an agent cannot learn which ids exist in inboxes it does not belong to.</summary>
public static class ContactAccess
{
    /// <summary>The inboxes whose contacts the caller sees; null for every inbox.</summary>
    public static async ValueTask<IReadOnlyList<long>?> InboxesSeenAsync(IStoreReader store, Caller caller)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        return caller.IsAdministrator ? null : await store.InboxIdsOfAgentAsync(caller.Id);
    }

    public static async ValueTask<bool> SeesInboxAsync(IStoreReader store, Caller caller, long inboxId) =>
        caller.IsAgent && (caller.IsAdministrator || await store.IsMemberAsync(inboxId, caller.Id));

    /// <summary>A contact the caller sees, or "not found".</summary>
    public static async ValueTask<ContactRow> ReadAsync(IStoreReader store, Caller caller, long contactId)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        var contact = await store.GetContactAsync(contactId);
        if (contact is null || !await SeesInboxAsync(store, caller, contact.InboxId)) throw ChatException.NotFound("contact");
        return contact;
    }

    /// <summary>An inbox the caller sees, or "not found".</summary>
    public static async ValueTask<InboxRow> InboxAsync(IStoreReader store, Caller caller, long inboxId)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        var inbox = await store.GetInboxAsync(inboxId);
        if (inbox is null || !await SeesInboxAsync(store, caller, inbox.Id)) throw ChatException.NotFound("inbox");
        return inbox;
    }
}
