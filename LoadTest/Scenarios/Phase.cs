using System.Diagnostics;
using ChatHub.LoadTest.Metrics;
using ChatHub.LoadTest.Setup;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>One measured window: load runs through warm-up (not counted) and the measured seconds, with a
/// progress line every second; then the load stops and in-flight work drains.</summary>
public sealed class Phase(string name)
{
    public string Name { get; } = name;
    public Counters Counters { get; } = new();
    public LatencyRecorder Acknowledgement { get; } = new();
    public LatencyRecorder CustomerToAgent { get; } = new();
    public LatencyRecorder AgentToCustomer { get; } = new();

    public async Task<double> RunAsync(LoadOptions options, ServerUnderTest server, Func<CancellationToken, Task> load)
    {
        using var stop = new CancellationTokenSource();
        var running = load(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));

        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        SetRecording(true);
        for (var second = 1; second <= options.DurationSeconds; second++)
        {
            var wait = TimeSpan.FromSeconds(second) - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var errors = Counters.Errors.Values.Sum();
            var line = $"[{Name}] {second,3}/{options.DurationSeconds}s  sent {Counters.Sent,9:N0}  acked {Counters.Acknowledged,9:N0}  delivered {Counters.Delivered,10:N0}  errors {errors,6:N0}";
            if (second < options.DurationSeconds) ProgressLine.Update(line);
            else ProgressLine.Done(line);
        }
        SetRecording(false);
        var seconds = clock.Elapsed.TotalSeconds;
        CpuCores = (server.CpuTime() - cpuBefore).TotalSeconds / seconds;

        stop.Cancel();
        try { await running.WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (OperationCanceledException) { }
        catch (TimeoutException) { Console.Error.WriteLine($"[{Name}] load did not drain in 30 s"); }
        return seconds;
    }

    public double CpuCores { get; private set; }

    private void SetRecording(bool on)
    {
        foreach (var action in new Action[] { on ? Counters.Start : Counters.Stop, on ? Acknowledgement.Start : Acknowledgement.Stop,
                     on ? CustomerToAgent.Start : CustomerToAgent.Stop, on ? AgentToCustomer.Start : AgentToCustomer.Stop })
            action();
    }

    public PhaseResult Result(LoadOptions options, double rate, double seconds, ServerUnderTest server, bool endToEnd)
    {
        var (resident, peak) = server.Memory();
        return new PhaseResult
        {
            Name = Name,
            RatePerCustomer = rate,
            Customers = options.Customers,
            Agents = options.Agents,
            Seconds = seconds,
            Sent = Counters.Sent,
            Acknowledged = Counters.Acknowledged,
            Delivered = Counters.Delivered,
            Acknowledgement = Acknowledgement.Summarize(),
            CustomerToAgent = endToEnd ? CustomerToAgent.Summarize() : null,
            AgentToCustomer = endToEnd ? AgentToCustomer.Summarize() : null,
            Errors = Counters.Errors.ToDictionary(),
            ServerCpuCores = CpuCores,
            ServerResidentBytes = resident,
            ServerPeakResidentBytes = peak,
        };
    }
}
