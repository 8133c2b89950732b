using System.Text.Json;
using ChatHub.LoadTest.Metrics;
using ChatHub.LoadTest.Scenarios;

namespace ChatHub.LoadTest;

/// <summary>The final table on stdout, and the same figures as JSON for machines.</summary>
public static class Report
{
    public static void Print(IReadOnlyList<PhaseResult> phases)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-14} {"rate/cust",9} {"acked/s",10} {"deliv/s",10} {"errors",7} {"cpu",5}   latency ms: p50 / p90 / p99 / p99.9 / max");
        foreach (var p in phases)
        {
            Console.WriteLine($"{p.Name,-14} {(p.RatePerCustomer == 0 ? "max" : p.RatePerCustomer.ToString("0.##")),9} {p.AcknowledgedPerSecond,10:N0} {p.DeliveredPerSecond,10:N0} {p.Errors.Values.Sum(),7:N0} {p.ServerCpuCores,5:F2}");
            Line("ack", p.Acknowledgement);
            if (p.CustomerToAgent is { } c2a) Line("customer->agent", c2a);
            if (p.AgentToCustomer is { } a2c) Line("agent->customer", a2c);
            foreach (var (code, count) in p.Errors) Console.WriteLine($"{"",16}error {code}: {count:N0}");
        }
        if (phases.Count > 0 && phases[^1].ServerPeakResidentBytes > 0)
            Console.WriteLine($"server peak memory {phases[^1].ServerPeakResidentBytes / 1024.0 / 1024:F0} MiB");
    }

    private static void Line(string what, LatencySummary s) =>
        Console.WriteLine($"{"",16}{what,-16} n={s.Count,-9:N0} {s.P50:F2} / {s.P90:F2} / {s.P99:F2} / {s.P999:F2} / {s.Max:F2}");

    public static void PrintComparison(PhaseResult echo, PhaseResult chat, PhaseResult? halfLoad)
    {
        Console.WriteLine();
        Console.WriteLine("comparison (same server, same connections, same run)");
        Console.WriteLine($"  echo ceiling   {echo.AcknowledgedPerSecond,10:N0} calls/s   p99 {echo.Acknowledgement.P99:F2} ms");
        Console.WriteLine($"  chat maximum   {chat.AcknowledgedPerSecond,10:N0} msgs/s    p99 ack {chat.Acknowledgement.P99:F2} ms   ratio chat/echo {chat.AcknowledgedPerSecond / echo.AcknowledgedPerSecond:P0}");
        if (halfLoad is not null)
            Console.WriteLine($"  chat at half   {halfLoad.AcknowledgedPerSecond,10:N0} msgs/s    p99 customer->agent {halfLoad.CustomerToAgent?.P99:F2} ms, agent->customer {halfLoad.AgentToCustomer?.P99:F2} ms");
    }

    public static void WriteJson(string path, object results) =>
        File.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
}
