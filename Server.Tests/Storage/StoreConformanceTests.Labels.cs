using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Account labels (rows by id and by unique title, listed by title) and the snooze sweep's list of snoozed
/// conversations whose snooze has ended, on every engine.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>A stored message of a database from before the unread counts: its type and creation time.</summary>
    public sealed record OldMessage(int MessageType, long CreatedAt);

    /// <summary>A database at the version before the unread counts (SQL step 8, LiteDB step 6) holding inbox 1, contact 1
    /// and, for each entry, conversation 1, 2, ... with its agents' last seen marker and these messages.</summary>
    protected abstract Task StoreConversationsBeforeUnreadCountsAsync(IStoreLocation location,
        IReadOnlyList<(long? AgentLastSeenAt, OldMessage[] Messages)> conversations);

    [Fact]
    public async Task The_upgrade_counts_each_stored_conversations_incoming_messages_after_the_agents_last_seen_marker()
    {
        var location = await LocationAsync();
        await StoreConversationsBeforeUnreadCountsAsync(location,
        [
            (T0 + 50, [new(MessageTypes.Incoming, T0 + 10), new(MessageTypes.Incoming, T0 + 60), new(MessageTypes.Outgoing, T0 + 70),
                new(MessageTypes.Incoming, T0 + 80), new(MessageTypes.Activity, T0 + 90)]),
            (null, [new(MessageTypes.Incoming, T0 + 1)]),
            (T0 + 500, [new(MessageTypes.Incoming, T0 + 10)]),
        ]);

        var store = await OpenStoreAsync(location);
        var counts = await store.ReadAsync(async r => new[]
        {
            (await r.GetConversationAsync(1))!.UnreadCount, (await r.GetConversationAsync(2))!.UnreadCount, (await r.GetConversationAsync(3))!.UnreadCount,
        });
        Assert.Equal([2, 1, 0], counts);
        Assert.Empty(await store.ReadAsync(r => r.ListLabelsAsync()));
    }

    private static LabelRow NewLabel(string title) =>
        new() { Title = title, Description = "about " + title, Color = "#aabbcc", ShowOnSidebar = true, CreatedAt = T0, UpdatedAt = T0 };

    [Fact]
    public async Task Label_rows_round_trip_are_found_by_exact_title_listed_by_title_updated_and_deleted()
    {
        var store = await FreshStoreAsync();
        var vip = NewLabel("vip");
        var billing = NewLabel("billing-é");
        vip.Id = await store.WriteAsync(w => w.InsertLabelAsync(vip));
        billing.Id = await store.WriteAsync(w => w.InsertLabelAsync(billing));
        Assert.NotEqual(vip.Id, billing.Id);

        AssertRow(vip, await store.ReadAsync(r => r.GetLabelAsync(vip.Id)));
        AssertRow(billing, await store.ReadAsync(r => r.FindLabelByTitleAsync("billing-é")));
        Assert.Null(await store.ReadAsync(r => r.FindLabelByTitleAsync("VIP"))); // exact: titles are stored in lower case
        Assert.Null(await store.ReadAsync(r => r.FindLabelByTitleAsync("vi")));
        Assert.Equal(["billing-é", "vip"], (await store.ReadAsync(r => r.ListLabelsAsync())).Select(l => l.Title));

        vip.Title = "a-vip";
        vip.Description = null;
        vip.Color = "#000000";
        vip.ShowOnSidebar = false;
        vip.UpdatedAt = T0 + 9;
        await store.WriteAsync(async w => { await w.UpdateLabelAsync(vip); return 0; });
        AssertRow(vip, await store.ReadAsync(r => r.FindLabelByTitleAsync("a-vip")));
        Assert.Null(await store.ReadAsync(r => r.FindLabelByTitleAsync("vip")));
        Assert.Equal(["a-vip", "billing-é"], (await store.ReadAsync(r => r.ListLabelsAsync())).Select(l => l.Title));

        Assert.True(await store.WriteAsync(w => w.DeleteLabelAsync(vip.Id)));
        Assert.False(await store.WriteAsync(w => w.DeleteLabelAsync(vip.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetLabelAsync(vip.Id)));
        Assert.Equal([billing.Id], (await store.ReadAsync(r => r.ListLabelsAsync())).Select(l => l.Id));
    }

    [Fact]
    public async Task A_second_label_with_a_title_taken_fails_its_command_alone()
    {
        var store = await FreshStoreAsync();
        await store.WriteAsync(w => w.InsertLabelAsync(NewLabel("vip")));

        var duplicate = store.WriteAsync(w => w.InsertLabelAsync(NewLabel("vip")));
        var other = store.WriteAsync(w => w.InsertLabelAsync(NewLabel("other")));
        await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        await other;
        Assert.Equal(["other", "vip"], (await store.ReadAsync(r => r.ListLabelsAsync())).Select(l => l.Title));
    }

    [Fact]
    public async Task Snoozed_conversations_whose_snooze_ended_are_listed_earliest_first_up_to_the_maximum()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        async Task<long> Conversation(string status, long? snoozedUntil) => await store.WriteAsync(async w =>
        {
            var c = NewConversation(scene.InboxId, scene.ContactId);
            c.Id = await w.InsertConversationAsync(c);
            (c.Status, c.SnoozedUntil) = (status, snoozedUntil);
            await w.RecordChangeAsync(c, visibleToContact: true);
            return c.Id;
        });
        var later = await Conversation(ConversationStatuses.Snoozed, T0 + 300);
        var first = await Conversation(ConversationStatuses.Snoozed, T0 + 100);
        var second = await Conversation(ConversationStatuses.Snoozed, T0 + 200);
        var sameTime = await Conversation(ConversationStatuses.Snoozed, T0 + 200);
        await Conversation(ConversationStatuses.Snoozed, null); // until the customer writes: never due
        await Conversation(ConversationStatuses.Open, null);

        Assert.Empty(await store.ReadAsync(r => r.ListSnoozeEndedAsync(T0 + 99, 10)));
        Assert.Equal([first, second, sameTime], await store.ReadAsync(r => r.ListSnoozeEndedAsync(T0 + 200, 10)));
        Assert.Equal([first, second], await store.ReadAsync(r => r.ListSnoozeEndedAsync(T0 + 1000, 2)));
        Assert.Equal([first, second, sameTime, later], await store.ReadAsync(r => r.ListSnoozeEndedAsync(T0 + 1000, 10)));

        // Reopened (the snooze end cleared with it): no longer listed.
        await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(first))!;
            (c.Status, c.SnoozedUntil) = (ConversationStatuses.Open, null);
            await w.RecordChangeAsync(c, visibleToContact: true);
            return 0;
        });
        Assert.Equal([second, sameTime, later], await store.ReadAsync(r => r.ListSnoozeEndedAsync(T0 + 1000, 10)));
    }
}
