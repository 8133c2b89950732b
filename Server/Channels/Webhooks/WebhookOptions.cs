using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary><c>Webhooks:*</c>: how deliveries are sent and retried (docs/api.md, "Webhooks"). Which receivers a webhook may
/// have at all (<c>Webhooks:AllowPrivateNetworks</c>) is the feature's rule: <see cref="WebhookAddressOptions"/>.</summary>
[SettingsSection("Webhooks")]
public sealed class WebhookOptions
{
    /// <summary>One attempt's limit (connect, send, answer headers).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>The delay after the first failed attempt; it doubles with each further failure, up to MaxRetryDelay.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How long after it was recorded a delivery is still retried; then it is marked failed.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Attempts before a delivery is marked failed; 0: no limit but RetryFor.</summary>
    public int MaxAttempts { get; set; }
    /// <summary>How long a node holds a delivery it is sending; a node that dies while sending releases it by
    /// this running out (kept above Timeout).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How often a node looks for due retries and for deliveries other nodes recorded (its own commits
    /// wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Attempts in flight at once on one node (each to a different webhook).</summary>
    public int MaxConcurrentDeliveries { get; set; } = 32;
    /// <summary>How long delivered and failed deliveries stay listed before they are deleted (the outbox does not grow
    /// without bound).</summary>
    public TimeSpan KeepFinishedFor { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan EffectiveLease => LeaseDuration > Timeout + TimeSpan.FromSeconds(1) ? LeaseDuration : Timeout + TimeSpan.FromSeconds(1);
}
