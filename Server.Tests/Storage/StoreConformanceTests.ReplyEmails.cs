using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Email (issue 24): the reply emails' part of the contract: one record per conversation (a later reply never
/// moves an earlier one), written in the command's transaction, claimed by one node at a time with a lease, and deleted
/// only by its holder.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task A_conversation_has_one_reply_email_and_a_later_reply_keeps_the_earlier_one()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        await ScheduleAsync(store, scene.ConversationId, fromMessageId: 10, dueAt: T0 + 100);
        await ScheduleAsync(store, scene.ConversationId, fromMessageId: 11, dueAt: T0 + 200); // the earlier stays

        Assert.Empty(await ClaimRepliesAsync(store, "node-1", T0 + 99)); // not due yet
        var claimed = Assert.Single(await ClaimRepliesAsync(store, "node-1", T0 + 100));
        Assert.Equal((scene.ConversationId, 10L, T0 + 100, 1, "node-1", (long?)(T0 + 100 + Lease)),
            (claimed.ConversationId, claimed.FromMessageId, claimed.DueAt, claimed.Attempts, claimed.LeaseOwner, claimed.LeaseUntil));

        // Written in the command's transaction: a command that fails after scheduling leaves nothing.
        var other = await SeedAsync(store);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<bool>(async w =>
        {
            await w.ScheduleReplyEmailAsync(new ReplyEmailRow { ConversationId = other.ConversationId, FromMessageId = 1, DueAt = T0 });
            throw new InvalidOperationException("the command failed after scheduling");
        }));
        Assert.Empty(await ClaimRepliesAsync(store, "node-1", T0 + 100_000 + Lease * 2).ContinueWith(t =>
            t.Result.Where(r => r.ConversationId == other.ConversationId).ToList()));
    }

    [Fact]
    public async Task A_reply_email_is_held_by_one_node_until_its_lease_runs_out_and_deleted_only_by_its_holder()
    {
        var location = await LocationAsync();
        var one = await OpenStoreAsync(location);
        var two = await AnotherStoreAsync(location, one);
        var scene = await SeedAsync(one);
        await ScheduleAsync(one, scene.ConversationId, fromMessageId: 5, dueAt: T0);

        // Racing claims on two stores (two nodes): exactly one takes it.
        var claims = await Task.WhenAll(Race(8, i => ClaimRepliesAsync(i % 2 == 0 ? one : two, $"node-{i}", T0 + 1)));
        var holder = Assert.Single(claims.SelectMany(c => c)).LeaseOwner!;

        Assert.False(await two.WriteAsync(w => w.DeleteReplyEmailAsync(scene.ConversationId, "someone-else")));
        // The holder died: after its lease another node takes it, the attempt counted; the old holder can no longer delete it.
        var retaken = Assert.Single(await ClaimRepliesAsync(two, "node-late", T0 + 1 + Lease + 1));
        Assert.Equal(("node-late", 2), (retaken.LeaseOwner, retaken.Attempts));
        Assert.False(await one.WriteAsync(w => w.DeleteReplyEmailAsync(scene.ConversationId, holder)));
        Assert.True(await one.WriteAsync(w => w.DeleteReplyEmailAsync(scene.ConversationId, "node-late")));
        Assert.Empty(await ClaimRepliesAsync(one, "node-1", T0 + 10 * Lease));

        // Once deleted, the conversation may have a new one.
        await ScheduleAsync(two, scene.ConversationId, fromMessageId: 6, dueAt: T0 + 2);
        Assert.Equal(6, Assert.Single(await ClaimRepliesAsync(one, "node-1", T0 + 10 * Lease)).FromMessageId);
    }

    private const long Lease = 60_000;

    private static Task ScheduleAsync(IChatStore store, long conversationId, long fromMessageId, long dueAt) =>
        store.WriteAsync(async w =>
        {
            await w.ScheduleReplyEmailAsync(new ReplyEmailRow { ConversationId = conversationId, FromMessageId = fromMessageId, DueAt = dueAt });
            return true;
        });

    private static Task<IReadOnlyList<ReplyEmailRow>> ClaimRepliesAsync(IChatStore store, string owner, long now) =>
        store.WriteAsync(w => w.ClaimDueReplyEmailsAsync(owner, now, now + Lease, 10));
}
