using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Contacts;

/// <summary>A contact as the application API shows it to agents: the agents' view of it (never its credentials)
/// with the inbox it belongs to and when it was made (Chatwoot's contact record has both).</summary>
public sealed record ContactRecord(ContactDto Contact, long InboxId, string InboxName, long CreatedAt)
{
    public static async ValueTask<ContactRecord> OfAsync(IStoreReader store, ContactRow row) => (await OfAsync(store, [row]))[0];

    /// <summary>The records of some contacts, each inbox read once.</summary>
    public static async ValueTask<IReadOnlyList<ContactRecord>> OfAsync(IStoreReader store, IReadOnlyList<ContactRow> rows)
    {
        var names = new Dictionary<long, string>();
        foreach (var inboxId in rows.Select(r => r.InboxId).Distinct())
            names[inboxId] = (await store.GetInboxAsync(inboxId))?.Name ?? "";
        return rows.Select(r => new ContactRecord(ContactMapper.ToAgentDto(r), r.InboxId, names[r.InboxId], Clock.ToSeconds(r.CreatedAt))).ToList();
    }
}

/// <summary>A page of contacts (Chatwoot pages them 15 at a time) and how many match in all.</summary>
public sealed record ContactPage(IReadOnlyList<ContactRecord> Contacts, int Total, int Page)
{
    public const int Size = 15;
    public const int MaxPage = 100_000;
}
