using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Reports (issue 25) on every engine: a conversation's first reply, resolution and CSAT fields are written by
/// RecordChange and read back; a report's query finds each conversation with any of its four times in the period once,
/// filtered by inbox and assignee, and never more than its limit.</summary>
public abstract partial class StoreConformanceTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public async Task Report_facts_are_the_conversations_created_answered_resolved_or_rated_in_the_period_each_once()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var (inbox2, agent2, contact2) = await store.WriteAsync(async w =>
        {
            var inbox = await w.InsertInboxAsync(NewInbox());
            return (inbox, await w.InsertAgentAsync(NewAgent()), await w.InsertContactAsync(NewContact(inbox)));
        });
        // Times relative to a period [T0 + 10 h, T0 + 20 h).
        async Task<long> Conversation(long inboxId, long contactId, long createdAt, long? assigneeId = null, long? firstReplyAt = null,
            long? resolvedAt = null, int? rating = null, string? comment = null, long? csatAt = null) => await store.WriteAsync(async w =>
        {
            var c = NewConversation(inboxId, contactId);
            (c.CreatedAt, c.LastActivityAt) = (createdAt, createdAt);
            c.Id = await w.InsertConversationAsync(c);
            (c.AssigneeId, c.FirstReplyAt, c.ResolvedAt, c.CsatRating, c.CsatComment, c.CsatAt) = (assigneeId, firstReplyAt, resolvedAt, rating, comment, csatAt);
            if (resolvedAt is not null) c.Status = ConversationStatuses.Resolved;
            await w.RecordChangeAsync(c, visibleToContact: true);
            return c.Id;
        });
        var before = await Conversation(scene.InboxId, scene.ContactId, T0, scene.AgentId, firstReplyAt: T0 + Hour);               // all before
        var created = await Conversation(scene.InboxId, scene.ContactId, T0 + 11 * Hour, scene.AgentId);                          // created in it
        var answered = await Conversation(scene.InboxId, scene.ContactId, T0 + 5 * Hour, agent2, firstReplyAt: T0 + 10 * Hour);   // answered at its start
        var resolved = await Conversation(inbox2, contact2, T0, agent2, firstReplyAt: T0 + Hour, resolvedAt: T0 + 19 * Hour);     // resolved in it
        var rated = await Conversation(inbox2, contact2, T0, null, resolvedAt: T0 + 2 * Hour, rating: 4, comment: "=quick, \"kind\"", csatAt: T0 + 15 * Hour);
        var after = await Conversation(inbox2, contact2, T0 + 20 * Hour, scene.AgentId, firstReplyAt: T0 + 21 * Hour);            // at its end: out

        var stored = (await store.ReadAsync(r => r.GetConversationAsync(rated)))!;
        Assert.Equal((ConversationStatuses.Resolved, (long?)T0 + 2 * Hour, (int?)4, "=quick, \"kind\"", (long?)T0 + 15 * Hour),
            (stored.Status, stored.ResolvedAt, stored.CsatRating, stored.CsatComment, stored.CsatAt));
        Assert.Equal(T0 + Hour, (await store.ReadAsync(r => r.GetConversationAsync(resolved)))!.FirstReplyAt);

        async Task<List<ReportFactRow>> Facts(long? inboxId = null, long? assigneeId = null, int limit = 100) =>
            (await store.ReadAsync(r => r.ListReportFactsAsync(new ReportQuery(T0 + 10 * Hour, T0 + 20 * Hour, inboxId, assigneeId, limit))))
            .OrderBy(f => f.Id).ToList();

        var all = await Facts();
        Assert.Equal([created, answered, resolved, rated], all.Select(f => f.Id));
        var fact = all.Single(f => f.Id == rated);
        Assert.Equal((inbox2, (long?)null, T0, (long?)null, (long?)T0 + 2 * Hour, (int?)4, "=quick, \"kind\"", (long?)T0 + 15 * Hour),
            (fact.InboxId, fact.AssigneeId, fact.CreatedAt, fact.FirstReplyAt, fact.ResolvedAt, fact.CsatRating, fact.CsatComment, fact.CsatAt));
        Assert.Equal((scene.InboxId, (long?)agent2, T0 + 5 * Hour, (long?)T0 + 10 * Hour),
            all.Where(f => f.Id == answered).Select(f => (f.InboxId, f.AssigneeId, f.CreatedAt, f.FirstReplyAt)).Single());

        Assert.Equal([resolved, rated], (await Facts(inboxId: inbox2)).Select(f => f.Id));
        Assert.Equal([answered, resolved], (await Facts(assigneeId: agent2)).Select(f => f.Id));
        Assert.Equal([resolved], (await Facts(inboxId: inbox2, assigneeId: agent2)).Select(f => f.Id));
        Assert.Empty(await Facts(inboxId: inbox2, assigneeId: scene.AgentId));
        Assert.Equal(2, (await Facts(limit: 2)).Count);
        Assert.DoesNotContain(before, all.Select(f => f.Id));
        Assert.DoesNotContain(after, all.Select(f => f.Id));
    }
}

/// <summary>The upgrade to reports' fields (SQL step 18, LiteDB step 13) fills them in for stored conversations.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>A stored message of a database from before reports.</summary>
    public sealed record ReportOldMessage(int MessageType, bool Private, string SenderType, string ContentType, long CreatedAt, long UpdatedAt);

    /// <summary>A stored conversation of a database from before reports.</summary>
    public sealed record ReportOldConversation(string Status, long LastActivityAt, int? CsatRating, ReportOldMessage[] Messages);

    /// <summary>A database at the version before reports (SQL step 13, LiteDB step 10) holding inbox 1, contact 1 and
    /// conversations 1, 2, ... (created at T0) with these messages.</summary>
    protected abstract Task StoreConversationsBeforeReportsAsync(IStoreLocation location, IReadOnlyList<ReportOldConversation> conversations);

    [Fact]
    public async Task The_upgrade_to_reports_fills_in_first_replies_resolutions_and_rating_times_of_stored_conversations()
    {
        var location = await LocationAsync();
        const string Agent = SenderTypes.Agent, Contact = SenderTypes.Contact;
        await StoreConversationsBeforeReportsAsync(location,
        [
            new("resolved", T0 + 900, 4,
            [
                new(MessageTypes.Incoming, false, Contact, "text", T0 + 10, T0 + 10),
                new(MessageTypes.Outgoing, true, Agent, "text", T0 + 20, T0 + 20),          // a private note: no reply
                new(MessageTypes.Activity, false, Agent, "text", T0 + 25, T0 + 25),          // an activity line: no reply
                new(MessageTypes.Outgoing, false, Agent, "text", T0 + 30, T0 + 30),          // the first reply
                new(MessageTypes.Outgoing, false, Agent, "text", T0 + 40, T0 + 40),
                new(MessageTypes.Outgoing, false, Agent, "input_csat", T0 + 50, T0 + 800),  // answered at T0 + 800
            ]),
            new("open", T0 + 100, null,
            [
                new(MessageTypes.Incoming, false, Contact, "text", T0 + 10, T0 + 10),
                new(MessageTypes.Outgoing, false, Agent, "input_csat", T0 + 50, T0 + 50),   // a question is no reply
            ]),
        ]);

        var store = await OpenStoreAsync(location);
        var (answered, waiting) = await store.ReadAsync(async r => ((await r.GetConversationAsync(1))!, (await r.GetConversationAsync(2))!));
        Assert.Equal(((long?)T0 + 30, (long?)T0 + 900, (long?)T0 + 800, (string?)null), (answered.FirstReplyAt, answered.ResolvedAt, answered.CsatAt, answered.CsatComment));
        Assert.Equal(((long?)null, (long?)null, (long?)null), (waiting.FirstReplyAt, waiting.ResolvedAt, waiting.CsatAt));
        var facts = await store.ReadAsync(r => r.ListReportFactsAsync(new ReportQuery(T0 + 800, T0 + 801, null, null, 10)));
        Assert.Equal([1L], facts.Select(f => f.Id));
    }
}
