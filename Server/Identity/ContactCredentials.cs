using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Identity;

/// <summary>Authentication of Chatwoot's client API: the inbox identifier and the contact's source_id in the path
/// are the customer's credentials. On an HMAC-mandatory inbox only a verified contact is let in.</summary>
public sealed class ContactCredentials(IChatStore store)
{
    public Task<Caller> ResolveAsync(string inboxIdentifier, string sourceId) => store.ReadAsync(async reader =>
    {
        var inbox = await FindInboxAsync(reader, inboxIdentifier);
        var contact = (sourceId.Length <= Validation.MaxSourceIdLength ? await reader.FindContactBySourceIdAsync(inbox.Id, sourceId) : null)
            ?? throw ChatException.NotFound("contact");
        if (inbox.HmacMandatory && !contact.HmacVerified) throw ChatException.Unauthorized("this inbox requires a verified contact");
        return Caller.ForContact(contact);
    });

    public static async ValueTask<InboxRow> FindInboxAsync(IStoreReader reader, string inboxIdentifier) =>
        (inboxIdentifier.Length <= 64 ? await reader.FindInboxByIdentifierAsync(inboxIdentifier) : null)
        ?? throw ChatException.NotFound("inbox");
}
