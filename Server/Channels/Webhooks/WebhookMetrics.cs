using ChatHub.Server.Observability;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary><c>chathub.webhooks.backlog</c> on ChatHub's meter (exported at /metrics): deliveries still to be sent
/// (every node's, as the store counts them), refreshed by the sender on each of its rounds.</summary>
public sealed class WebhookMetrics
{
    private long _backlog;

    public WebhookMetrics(ChatMetrics metrics) =>
        metrics.Meter.CreateObservableGauge("chathub.webhooks.backlog", () => Volatile.Read(ref _backlog), "{delivery}",
            "Webhook deliveries pending (not yet delivered or failed)");

    public void SetBacklog(long count) => Volatile.Write(ref _backlog, count);
}
