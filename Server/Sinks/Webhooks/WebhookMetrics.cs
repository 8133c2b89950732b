using System.Diagnostics.Metrics;

namespace ChatHub.Server.Sinks.Webhooks;

/// <summary><c>chathub.webhooks.backlog</c> on the "ChatHub" meter: deliveries still to be sent (every node's, as
/// the store counts them), refreshed by the sender on each of its rounds.</summary>
public sealed class WebhookMetrics
{
    private long _backlog;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("ChatHub");
        meter.CreateObservableGauge("chathub.webhooks.backlog", () => Volatile.Read(ref _backlog), "{delivery}",
            "Webhook deliveries pending (not yet delivered or failed)");
    }

    public void SetBacklog(long count) => Volatile.Write(ref _backlog, count);
}
