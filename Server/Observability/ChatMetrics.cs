using System.Diagnostics.Metrics;

namespace ChatHub.Server.Observability;

/// <summary>ChatHub's own instruments, on the meter "ChatHub": what an operator watches besides ASP.NET Core's and the
/// runtime's meters. Exported at /metrics for Prometheus (<see cref="MetricsEndpoint"/>) and visible to
/// <c>dotnet-counters monitor --counters ChatHub</c>. Names follow OpenTelemetry's conventions; Prometheus shows them
/// with underscores and unit suffixes (chathub_store_commit_duration_seconds).</summary>
public sealed class ChatMetrics
{
    public const string MeterName = "ChatHub";

    private readonly Counter<long> _messages;
    private readonly UpDownCounter<long> _connections;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<long> _commitBatchSize;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _connectionRefusals;

    public ChatMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _messages = meter.CreateCounter<long>("chathub.messages", "{message}", "Messages stored, by sender (contact or agent) and kind (message, private note, activity)");
        _connections = meter.CreateUpDownCounter<long>("chathub.connections", "{connection}", "Open realtime connections by kind: customer and agent (hub), cable (/cable)");
        _commitDuration = meter.CreateHistogram<double>("chathub.store.commit.duration", "s", "One group commit, from its first command to its durable commit, by store",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });
        _commitBatchSize = meter.CreateHistogram<long>("chathub.store.commit.batch_size", "{command}", "Commands in one group commit, by store",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _rateLimitRejections = meter.CreateCounter<long>("chathub.rate_limit.rejections", "{request}", "Requests refused by a rate limit, by kind");
        _connectionRefusals = meter.CreateCounter<long>("chathub.connections.refused", "{connection}",
            "Realtime connections the connection budget refused or closed, by transport (hub, cable) and reason (total, public_share, address, no_subscription)");
        Meter = meter;
    }

    /// <summary>For gauges registered by the parts that own the figure (push queue, webhook backlog).</summary>
    public Meter Meter { get; }

    public void MessageStored(string senderType, string kind) =>
        _messages.Add(1, new("sender", senderType), new("kind", kind));

    public void ConnectionOpened(string kind) => _connections.Add(1, new KeyValuePair<string, object?>("kind", kind));
    public void ConnectionClosed(string kind) => _connections.Add(-1, new KeyValuePair<string, object?>("kind", kind));

    public void Committed(string store, TimeSpan duration, int commands)
    {
        var tag = new KeyValuePair<string, object?>("store", store);
        _commitDuration.Record(duration.TotalSeconds, tag);
        _commitBatchSize.Record(commands, tag);
    }

    public void RateLimited(string kind) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ConnectionRefused(string transport, string reason) =>
        _connectionRefusals.Add(1, new("transport", transport), new("reason", reason));
}
