using ChatHub.LoadTest.Metrics;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>The figures of one measured window.</summary>
public sealed record PhaseResult
{
    public required string Name { get; init; }
    public required double RatePerCustomer { get; init; }
    public required int Customers { get; init; }
    public required int Agents { get; init; }
    public required double Seconds { get; init; }
    public required long Sent { get; init; }
    public required long Acknowledged { get; init; }
    public required long Delivered { get; init; }
    public double AcknowledgedPerSecond => Acknowledged / Seconds;
    public double DeliveredPerSecond => Delivered / Seconds;
    public required LatencySummary Acknowledgement { get; init; }
    public LatencySummary? CustomerToAgent { get; init; }
    public LatencySummary? AgentToCustomer { get; init; }
    public required IReadOnlyDictionary<string, long> Errors { get; init; }
    public double ServerCpuCores { get; init; }
    /// <summary>The server's CPU (every spawned process) per acknowledged message: what each message costs it.</summary>
    public double ServerCpuMicrosPerMessage => Acknowledged == 0 ? 0 : ServerCpuCores * Seconds * 1e6 / Acknowledged;
    public long ServerResidentBytes { get; init; }
    public long ServerPeakResidentBytes { get; init; }
}
