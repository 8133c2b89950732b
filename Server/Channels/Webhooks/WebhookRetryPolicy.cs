using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>What follows an attempt: delivered; or another attempt after an exponential delay with jitter (so that
/// receivers coming back are not hit by every sender at once); or failed, once RetryFor or MaxAttempts is reached.</summary>
public static class WebhookRetryPolicy
{
    public static DeliveryOutcome After(WebhookDeliveryRow delivery, string owner, string? error, long now, WebhookOptions options)
    {
        if (error is null) return new(delivery.Id, owner, DeliveryStatuses.Delivered, now, null, now);
        var attempts = delivery.Attempts + 1;
        var next = now + (long)Delay(attempts, options).TotalMilliseconds;
        var exhausted = (options.MaxAttempts > 0 && attempts >= options.MaxAttempts)
            || next - delivery.CreatedAt > options.RetryFor.TotalMilliseconds;
        return exhausted
            ? new(delivery.Id, owner, DeliveryStatuses.Failed, now, error, now)
            : new(delivery.Id, owner, DeliveryStatuses.Pending, next, error, now);
    }

    /// <summary>InitialRetryDelay x 2^(attempts-1), at most MaxRetryDelay, then a random 50-100 % of it.</summary>
    public static TimeSpan Delay(int attempts, WebhookOptions options)
    {
        var exponential = options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = Math.Min(exponential, options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
