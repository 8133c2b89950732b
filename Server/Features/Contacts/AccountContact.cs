using ChatHub.Contracts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Contacts;

/// <summary>A contact as the application API shows it to agents: the agents' view of it (never its credentials)
/// with the inbox it belongs to (Chatwoot's <c>_contact</c> partial lists its contact inboxes).</summary>
public sealed record AccountContact(ContactDto Contact, long InboxId, string InboxName)
{
    public static async ValueTask<AccountContact> OfAsync(IStoreReader store, ContactRow row) => (await OfAsync(store, [row]))[0];

    /// <summary>The records of some contacts, each inbox read once.</summary>
    public static async ValueTask<IReadOnlyList<AccountContact>> OfAsync(IStoreReader store, IReadOnlyList<ContactRow> rows)
    {
        var names = new Dictionary<long, string>();
        foreach (var inboxId in rows.Select(r => r.InboxId).Distinct())
            names[inboxId] = (await store.GetInboxAsync(inboxId))?.Name ?? "";
        return rows.Select(r => new AccountContact(ContactMapper.ToAgentDto(r), r.InboxId, names[r.InboxId])).ToList();
    }
}

/// <summary>A page of contacts (Chatwoot pages them 15 at a time) and how many match in all.</summary>
public sealed record ContactPage(IReadOnlyList<AccountContact> Contacts, int Total, int Page)
{
    public const int Size = 15;
    public const int MaxPage = 100_000;
}
