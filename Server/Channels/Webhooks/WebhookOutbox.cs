using ChatHub.Server.Application.Events;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>Turns a command's events into one delivery row per subscribed webhook, in the command's own
/// transaction (the Dispatcher calls it once, after the handler), and wakes the sender after the commit.</summary>
public sealed class WebhookOutbox(WebhookSignal signal) : IOutbox
{
    public async ValueTask RecordAsync(IStoreTransaction store, IReadOnlyList<ChatEvent> changes)
    {
        var webhooks = await SubscribersAsync(store, changes);
        if (webhooks.Count == 0) return;
        var payloads = new WebhookPayloads(store);
        var now = Clock.NowMs();
        foreach (var change in changes)
        {
            foreach (var eventName in WebhookEvents.Of(change))
            {
                string? body = null; // built once per event, whatever the number of webhooks
                foreach (var (webhook, subscriptions) in webhooks)
                {
                    if (!subscriptions.Contains(eventName)) continue;
                    body ??= await payloads.BuildAsync(eventName, change);
                    await store.InsertDeliveryAsync(new WebhookDeliveryRow
                    {
                        WebhookId = webhook.Id,
                        DeliveryId = Guid.NewGuid().ToString(),
                        Event = eventName,
                        Payload = body,
                        Status = DeliveryStatuses.Pending,
                        NextAttemptAt = now,
                        CreatedAt = now,
                    });
                }
            }
        }
        store.AfterCommit(signal.Wake);
    }

    public async Task RecordUnstoredAsync(IChatStore store, IReadOnlyList<ChatEvent> changes)
    {
        // Changes no webhook hears of (a sneak peek) open no read at all.
        if (!changes.Any(change => WebhookEvents.Of(change).Any())) return;
        if ((await store.ReadAsync(reader => SubscribersAsync(reader, changes))).Count == 0) return;
        await store.WriteAsync(async transaction =>
        {
            await RecordAsync(transaction, changes);
            return true;
        });
    }

    /// <summary>The webhooks subscribed to at least one of these events, with their subscriptions.</summary>
    private static async ValueTask<List<(WebhookRow Webhook, HashSet<string> Subscriptions)>> SubscribersAsync(
        IStoreReader store, IReadOnlyList<ChatEvent> changes)
    {
        var names = changes.SelectMany(WebhookEvents.Of).ToHashSet();
        if (names.Count == 0) return [];
        var subscribed = new List<(WebhookRow, HashSet<string>)>();
        foreach (var webhook in await store.ListWebhooksAsync())
        {
            var subscriptions = WebhookSubscriptions.Parse(webhook.Subscriptions).ToHashSet();
            if (subscriptions.Overlaps(names)) subscribed.Add((webhook, subscriptions));
        }
        return subscribed;
    }
}
