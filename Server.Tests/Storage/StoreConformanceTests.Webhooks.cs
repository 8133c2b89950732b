using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The webhook outbox's part of the contract: webhook rows, deliveries written with the change (or not at
/// all), and claims with a lease that give each webhook its deliveries one at a time, in order, to one node.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Webhook_rows_round_trip_update_and_delete_with_their_deliveries()
    {
        var store = await FreshStoreAsync();
        var hook = new WebhookRow { Url = "https://example.com/hook?q=é", Subscriptions = """["message_created"]""", Secret = Unique("secret"), CreatedAt = T0, UpdatedAt = T0 };
        hook.Id = await store.WriteAsync(w => w.InsertWebhookAsync(hook));
        AssertRow(hook, await store.ReadAsync(r => r.GetWebhookAsync(hook.Id)));

        hook.Url = "http://example.org/other";
        hook.Subscriptions = """["contact_created","message_updated"]""";
        hook.UpdatedAt = T0 + 5;
        await store.WriteAsync(async w => { await w.UpdateWebhookAsync(hook); return true; });
        AssertRow(hook, (await store.ReadAsync(r => r.ListWebhooksAsync())).Single());

        await store.WriteAsync(w => w.InsertDeliveryAsync(NewDelivery(hook.Id, "message_created")));
        Assert.Equal(1, await store.ReadAsync(r => r.CountPendingDeliveriesAsync()));
        Assert.True(await store.WriteAsync(w => w.DeleteWebhookAsync(hook.Id)));
        Assert.False(await store.WriteAsync(w => w.DeleteWebhookAsync(hook.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetWebhookAsync(hook.Id)));
        Assert.Equal(0, await store.ReadAsync(r => r.CountPendingDeliveriesAsync()));
    }

    [Fact]
    public async Task Delivery_rows_round_trip_and_a_failed_command_leaves_none()
    {
        var store = await FreshStoreAsync();
        var hookId = await InsertWebhookAsync(store);
        var delivery = NewDelivery(hookId, "message_created", """{"event":"message_created","content":"héllo 👋"}""");
        delivery.Id = await store.WriteAsync(w => w.InsertDeliveryAsync(delivery));
        AssertRow(delivery, (await store.ReadAsync(r => r.ListDeliveriesAsync(hookId, 10))).Single());

        // The outbox is written inside the command's transaction: a command that fails after writing it leaves nothing.
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<long>(async w =>
        {
            await w.InsertDeliveryAsync(NewDelivery(hookId, "message_created"));
            throw new InvalidOperationException("the command failed after its deliveries were written");
        }));
        Assert.Single(await store.ReadAsync(r => r.ListDeliveriesAsync(hookId, 10)));
    }

    [Fact]
    public async Task Claims_take_each_webhooks_oldest_due_delivery_one_at_a_time_in_order()
    {
        var store = await FreshStoreAsync();
        var (a, b) = (await InsertWebhookAsync(store), await InsertWebhookAsync(store));
        var a1 = await InsertDeliveryAsync(store, a);
        var a2 = await InsertDeliveryAsync(store, a);
        var b1 = await InsertDeliveryAsync(store, b, nextAttemptAt: T0 + 1000); // not due yet

        var first = await ClaimAsync(store, "node-1", T0);
        Assert.Equal([a1], first.Select(d => d.Id));
        Assert.Equal("node-1", first[0].LeaseOwner);
        Assert.Empty(await ClaimAsync(store, "node-2", T0 + 10)); // a1 is held: a2 waits behind it; b1 is not due

        // Another node cannot record a1's outcome; its holder can, and then a2 is next.
        Assert.False(await RecordAsync(store, a1, "node-2", DeliveryStatuses.Delivered, T0 + 20));
        Assert.True(await RecordAsync(store, a1, "node-1", DeliveryStatuses.Delivered, T0 + 20));
        var second = await ClaimAsync(store, "node-2", T0 + 1000);
        Assert.Equal([a2, b1], second.Select(d => d.Id).Order());

        // A retry later: rescheduled, the lease released, an attempt counted, the error kept.
        Assert.True(await RecordAsync(store, a2, "node-2", DeliveryStatuses.Pending, T0 + 1001, nextAttemptAt: T0 + 5000, error: "HTTP 500"));
        Assert.DoesNotContain(await ClaimAsync(store, "node-1", T0 + 1002), d => d.Id == a2);
        var retried = (await store.ReadAsync(r => r.ListDeliveriesAsync(a, 10))).Single(d => d.Id == a2);
        Assert.Equal((1, "HTTP 500", T0 + 5000, (long?)null), (retried.Attempts, retried.LastError, retried.NextAttemptAt, retried.LeaseUntil));

        var delivered = (await store.ReadAsync(r => r.ListDeliveriesAsync(a, 10))).Single(d => d.Id == a1);
        Assert.Equal((DeliveryStatuses.Delivered, 1, (long?)(T0 + 20)), (delivered.Status, delivered.Attempts, delivered.DeliveredAt));
        Assert.Equal([a2, a1], (await store.ReadAsync(r => r.ListDeliveriesAsync(a, 10))).Select(d => d.Id)); // newest first
    }

    [Fact]
    public async Task A_lease_that_ran_out_is_taken_by_another_node_and_a_failed_delivery_lets_the_next_go()
    {
        var store = await FreshStoreAsync();
        var hook = await InsertWebhookAsync(store);
        var first = await InsertDeliveryAsync(store, hook);
        var second = await InsertDeliveryAsync(store, hook);

        Assert.Single(await ClaimAsync(store, "dead-node", T0, lease: 100));
        Assert.Empty(await ClaimAsync(store, "node-2", T0 + 99));
        var retaken = await ClaimAsync(store, "node-2", T0 + 101); // the holder died: its lease ran out
        Assert.Equal([first], retaken.Select(d => d.Id));
        Assert.False(await RecordAsync(store, first, "dead-node", DeliveryStatuses.Delivered, T0 + 102));

        Assert.True(await RecordAsync(store, first, "node-2", DeliveryStatuses.Failed, T0 + 103, error: "refused"));
        Assert.Equal([second], (await ClaimAsync(store, "node-2", T0 + 104)).Select(d => d.Id));
        Assert.Equal(1, await store.ReadAsync(r => r.CountPendingDeliveriesAsync()));
    }

    [Fact]
    public async Task Two_stores_racing_to_claim_take_each_delivery_once()
    {
        var location = await LocationAsync();
        var one = await OpenStoreAsync(location);
        var two = await AnotherStoreAsync(location, one); // the same store where an engine allows one per database
        var hooks = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            var hook = await InsertWebhookAsync(one);
            hooks.Add(hook);
            await InsertDeliveryAsync(one, hook);
        }
        var claims = Race(16, i => ClaimAsync(i % 2 == 0 ? one : two, $"node-{i}", T0).AsTask());
        var claimed = (await Task.WhenAll(claims)).SelectMany(c => c).Select(d => d.Id).ToList();
        Assert.Equal(20, claimed.Count);
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
    }

    [Fact]
    public async Task Pruning_deletes_finished_deliveries_created_before_the_cutoff_and_never_a_pending_one()
    {
        var store = await FreshStoreAsync();
        var hook = await InsertWebhookAsync(store);
        var delivered = await InsertDeliveryAsync(store, hook);
        var failed = await InsertDeliveryAsync(store, hook);
        var pending = await InsertDeliveryAsync(store, hook, nextAttemptAt: T0 + 1_000_000);
        await ClaimAsync(store, "node", T0);
        Assert.True(await RecordAsync(store, delivered, "node", DeliveryStatuses.Delivered, T0 + 1));
        await ClaimAsync(store, "node", T0 + 2);
        Assert.True(await RecordAsync(store, failed, "node", DeliveryStatuses.Failed, T0 + 3, error: "gone"));

        Assert.Equal(0, await store.WriteAsync(w => w.PruneDeliveriesAsync(T0, 100))); // none created before T0
        Assert.Equal(1, await store.WriteAsync(w => w.PruneDeliveriesAsync(T0 + 1, 1))); // at most max
        Assert.Equal(1, await store.WriteAsync(w => w.PruneDeliveriesAsync(T0 + 1, 100)));
        Assert.Equal([pending], (await store.ReadAsync(r => r.ListDeliveriesAsync(hook, 10))).Select(d => d.Id));
    }

    // ---- helpers

    private static WebhookDeliveryRow NewDelivery(long webhookId, string eventName, string payload = "{}", long nextAttemptAt = T0) => new()
    {
        WebhookId = webhookId, DeliveryId = Guid.NewGuid().ToString(), Event = eventName, Payload = payload,
        Status = DeliveryStatuses.Pending, NextAttemptAt = nextAttemptAt, CreatedAt = T0,
    };

    private static Task<long> InsertWebhookAsync(IChatStore store) => store.WriteAsync(w => w.InsertWebhookAsync(new WebhookRow
    {
        Url = "https://example.com/hook", Subscriptions = """["message_created"]""", Secret = Unique("secret"), CreatedAt = T0, UpdatedAt = T0,
    }));

    private static Task<long> InsertDeliveryAsync(IChatStore store, long webhookId, long nextAttemptAt = T0) =>
        store.WriteAsync(w => w.InsertDeliveryAsync(NewDelivery(webhookId, "message_created", nextAttemptAt: nextAttemptAt)));

    private static ValueTask<IReadOnlyList<WebhookDeliveryRow>> ClaimAsync(IChatStore store, string owner, long now, long lease = 60_000) =>
        new(store.WriteAsync(w => w.ClaimDueDeliveriesAsync(owner, now, now + lease, 100)));

    private static Task<bool> RecordAsync(IChatStore store, long id, string owner, string status, long now, long nextAttemptAt = 0, string? error = null) =>
        store.WriteAsync(w => w.RecordAttemptAsync(new DeliveryOutcome(id, owner, status, nextAttemptAt == 0 ? now : nextAttemptAt, error, now)));
}
