using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Identity;

/// <summary>Authentication of Chatwoot's client API: the inbox identifier and the contact's source_id in the path
/// are the customer's credentials, valid by <see cref="CredentialRules"/>.</summary>
public sealed class ContactCredentials(IChatStore store)
{
    public Task<Caller> ResolveAsync(string inboxIdentifier, string sourceId) =>
        store.ReadAsync(reader => CredentialRules.ContactBySourceIdAsync(reader, inboxIdentifier, sourceId));

    public static async ValueTask<InboxRow> FindInboxAsync(IStoreReader reader, string inboxIdentifier) =>
        (inboxIdentifier.Length <= 64 ? await reader.FindInboxByIdentifierAsync(inboxIdentifier) : null)
        ?? throw ChatException.NotFound("inbox");
}
