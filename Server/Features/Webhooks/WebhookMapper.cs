using System.Text.Json.Serialization;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>A webhook as Chatwoot's API shows it; the secret only in the answer that created it.</summary>
public sealed record WebhookDto(long Id, string Url, IReadOnlyList<string> Subscriptions, long AccountId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>One delivery of one event; times in Unix seconds; next_attempt_at only while it is pending.</summary>
public sealed record WebhookDeliveryDto(long Id, string DeliveryId, string Event, string Status, int Attempts, string? LastError,
    long? NextAttemptAt, long CreatedAt, long? DeliveredAt);

public static class WebhookMapper
{
    public static WebhookDto ToDto(WebhookRow w, bool withSecret = false) =>
        new(w.Id, w.Url, WebhookSubscriptions.Parse(w.Subscriptions), ChatwootAccount.Id, withSecret ? w.Secret : null);

    public static WebhookDeliveryDto ToDto(WebhookDeliveryRow d) =>
        new(d.Id, d.DeliveryId, d.Event, d.Status, d.Attempts, d.LastError,
            d.Status == DeliveryStatuses.Pending ? Clock.ToSeconds(d.NextAttemptAt) : null,
            Clock.ToSeconds(d.CreatedAt), Clock.ToSeconds(d.DeliveredAt));
}
