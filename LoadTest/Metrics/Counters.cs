using System.Collections.Concurrent;

namespace ChatHub.LoadTest.Metrics;

/// <summary>Counts of one run; only the measured window counts.</summary>
public sealed class Counters
{
    private long _sent, _acknowledged, _delivered;
    private volatile bool _recording;
    public ConcurrentDictionary<string, long> Errors { get; } = new();

    public void Start() => _recording = true;
    public void Stop() => _recording = false;
    public long Sent => Interlocked.Read(ref _sent);
    public long Acknowledged => Interlocked.Read(ref _acknowledged);
    public long Delivered => Interlocked.Read(ref _delivered);

    public void CountSent() { if (_recording) Interlocked.Increment(ref _sent); }
    public void CountAcknowledged() { if (_recording) Interlocked.Increment(ref _acknowledged); }
    public void CountDelivered() { if (_recording) Interlocked.Increment(ref _delivered); }
    public void CountError(string code) { if (_recording) Errors.AddOrUpdate(code, 1, (_, n) => n + 1); }
}
