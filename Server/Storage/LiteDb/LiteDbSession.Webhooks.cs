using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Webhooks and their outbox on LiteDB. One process per file, one writer: a claim needs no lock beyond the
/// writer's transaction. A webhook's pending deliveries are a range of the pending index (webhook|id), so its head is
/// the first key of its range.</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> WebhookRows => db.GetCollection(Webhooks);
    private ILiteCollection<BsonDocument> DeliveryRows => db.GetCollection(WebhookDeliveries);

    private IEnumerable<WebhookDeliveryRow> PendingOf(long webhookId) =>
        Range(DeliveryRows, PendingDelivery, Key.Prefix(Key.Number(webhookId) + "|"), descending: false).Select(ToDelivery);

    private IReadOnlyList<WebhookDeliveryRow> ClaimDueDeliveries(string owner, long now, long leaseUntil, int max)
    {
        _ = Ids;
        var heads = WebhookRows.FindAll().Select(w => PendingOf(w["_id"].AsInt64).FirstOrDefault()).OfType<WebhookDeliveryRow>();
        var claimed = heads.Where(d => d.NextAttemptAt <= now && (d.LeaseUntil is null || d.LeaseUntil < now)).OrderBy(d => d.Id).Take(max).ToList();
        foreach (var delivery in claimed)
        {
            (delivery.LeaseOwner, delivery.LeaseUntil) = (owner, leaseUntil);
            Writes.Update(DeliveryRows, ToDocument(delivery));
        }
        return claimed;
    }

    private bool RecordAttempt(DeliveryOutcome o)
    {
        _ = Ids;
        if (DeliveryRows.FindById(o.DeliveryId) is not { } document) return false;
        var d = ToDelivery(document);
        if (d.LeaseOwner != o.LeaseOwner || d.Status != DeliveryStatuses.Pending) return false;
        (d.Status, d.Attempts, d.NextAttemptAt, d.LastError, d.LeaseUntil, d.LeaseOwner) =
            (o.Status, d.Attempts + 1, o.NextAttemptAt, o.Error ?? d.LastError, null, null);
        d.DeliveredAt = o.Status == DeliveryStatuses.Delivered ? o.Now : null;
        Writes.Update(DeliveryRows, ToDocument(d));
        return true;
    }

    private bool DeleteWebhook(long id)
    {
        _ = Ids;
        var deliveries = Range(DeliveryRows, DeliveryOfWebhook, Key.Prefix(Key.Number(id) + "|"), descending: false).Select(d => d["_id"]).ToList();
        foreach (var delivery in deliveries) Writes.Delete(DeliveryRows, delivery);
        return Writes.Delete(WebhookRows, id);
    }

    private void UpdateWebhook(WebhookRow w)
    {
        _ = Ids;
        if (WebhookRows.FindById(w.Id) is not { } document) return;
        var stored = ToWebhook(document);
        RowShape<WebhookRow>.Instance.CopyChangeable(w, stored);
        Writes.Update(WebhookRows, ToDocument(stored));
    }

    private int PruneDeliveries(long createdBefore, int max)
    {
        _ = Ids;
        var done = DeliveryRows.Query().Where(LiteDbQueries.NotEqual("status", DeliveryStatuses.Pending)).Where(LiteDbQueries.Below("created_at", createdBefore))
            .OrderBy("_id").Limit(max).ToEnumerable().Select(d => d["_id"]).ToList();
        foreach (var id in done) Writes.Delete(DeliveryRows, id);
        return done.Count;
    }

    public ValueTask<IReadOnlyList<WebhookRow>> ListWebhooksAsync() =>
        new(WebhookRows.FindAll().Select(ToWebhook).OrderBy(w => w.Id).ToList());
    public ValueTask<WebhookRow?> GetWebhookAsync(long id) => new(WebhookRows.FindById(id) is { } d ? ToWebhook(d) : null);
    public ValueTask<IReadOnlyList<WebhookDeliveryRow>> ListDeliveriesAsync(long webhookId, int limit) =>
        new(Range(DeliveryRows, DeliveryOfWebhook, Key.Prefix(Key.Number(webhookId) + "|"), descending: true, limit: limit).Select(ToDelivery).ToList());
    public ValueTask<long> CountPendingDeliveriesAsync() =>
        new(DeliveryRows.Count(LiteDbQueries.Between(PendingDelivery, "", "\uffff")));

    public ValueTask<long> InsertWebhookAsync(WebhookRow webhook) =>
        new(Insert(WebhookRows, WithId(ToDocument(webhook), Ids.Next(Webhooks))));
    public ValueTask UpdateWebhookAsync(WebhookRow webhook) { UpdateWebhook(webhook); return default; }
    public ValueTask<bool> DeleteWebhookAsync(long id) => new(DeleteWebhook(id));
    public ValueTask<long> InsertDeliveryAsync(WebhookDeliveryRow delivery)
    {
        var row = new WebhookDeliveryRow
        {
            Id = Ids.Next(WebhookDeliveries), WebhookId = delivery.WebhookId, DeliveryId = delivery.DeliveryId, Event = delivery.Event,
            Payload = delivery.Payload, Status = delivery.Status, Attempts = delivery.Attempts, NextAttemptAt = delivery.NextAttemptAt,
            CreatedAt = delivery.CreatedAt,
        };
        return new(Insert(DeliveryRows, ToDocument(row)));
    }
    public ValueTask<IReadOnlyList<WebhookDeliveryRow>> ClaimDueDeliveriesAsync(string owner, long now, long leaseUntil, int max) =>
        new(ClaimDueDeliveries(owner, now, leaseUntil, max));
    public ValueTask<bool> RecordAttemptAsync(DeliveryOutcome outcome) => new(RecordAttempt(outcome));
    public ValueTask<int> PruneDeliveriesAsync(long createdBefore, int max) => new(PruneDeliveries(createdBefore, max));
}
