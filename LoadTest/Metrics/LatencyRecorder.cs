using System.Diagnostics;

namespace ChatHub.LoadTest.Metrics;

/// <summary>Collects latency samples (microseconds) from many threads; percentiles are exact (sorted samples).</summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _samples = [];
    private volatile bool _recording;

    public void Start() => _recording = true;
    public void Stop() => _recording = false;

    public void RecordSince(long startTimestamp)
    {
        if (!_recording) return;
        var micros = (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;
        lock (_samples) _samples.Add(micros);
    }

    public LatencySummary Summarize()
    {
        long[] sorted;
        lock (_samples) sorted = [.. _samples];
        Array.Sort(sorted);
        double At(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)] / 1000.0;
        return new LatencySummary(sorted.Length, At(0.5), At(0.9), At(0.99), At(0.999), sorted.Length == 0 ? 0 : sorted[^1] / 1000.0);
    }
}

/// <summary>Milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max);
