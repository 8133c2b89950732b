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
        Console.WriteLine($"{"phase",-14} {"rate/cust",9} {"acked/s",10} {"deliv/s",10} {"errors",7} {"cpu",5} {"µs/msg",7}   latency ms: p50 / p90 / p99 / p99.9 / max");
        foreach (var p in phases)
        {
            Console.WriteLine($"{p.Name,-14} {(p.RatePerCustomer == 0 ? "max" : p.RatePerCustomer.ToString("0.##")),9} {p.AcknowledgedPerSecond,10:N0} {p.DeliveredPerSecond,10:N0} {p.Errors.Values.Sum(),7:N0} {p.ServerCpuCores,5:F2} {p.ServerCpuMicrosPerMessage,7:N0}");
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
        Console.WriteLine($"  server cpu     {echo.ServerCpuMicrosPerMessage,10:N0} µs/call (echo)   {chat.ServerCpuMicrosPerMessage:N0} µs/msg (chat)   ratio {chat.ServerCpuMicrosPerMessage / echo.ServerCpuMicrosPerMessage:F1}x");
        if (halfLoad is not null)
            Console.WriteLine($"  chat at half   {halfLoad.AcknowledgedPerSecond,10:N0} msgs/s    p99 customer->agent {halfLoad.CustomerToAgent?.P99:F2} ms, agent->customer {halfLoad.AgentToCustomer?.P99:F2} ms");
    }

    /// <summary>--compare nodes: [1node-max, 1node-half, 2node-max, 2node-half].</summary>
    public static void PrintNodesComparison(IReadOnlyList<PhaseResult> phases)
    {
        var (max1, half1, max2, half2) = (phases[0], phases[1], phases[2], phases[3]);
        Console.WriteLine();
        Console.WriteLine("comparison: 1 node vs 2 nodes behind Redis (customers on node A, agents on node B; same machine, same run)");
        Console.WriteLine($"{"",-34} {"1 node",14} {"2 nodes",14}");
        Console.WriteLine($"{"chat maximum, msgs/s acked",-34} {max1.AcknowledgedPerSecond,14:N0} {max2.AcknowledgedPerSecond,14:N0}   ratio {max2.AcknowledgedPerSecond / max1.AcknowledgedPerSecond:P0}");
        Console.WriteLine($"{"  pushes delivered/s",-34} {max1.DeliveredPerSecond,14:N0} {max2.DeliveredPerSecond,14:N0}");
        Console.WriteLine($"{"  server cpu (cores, all processes)",-34} {max1.ServerCpuCores,14:F2} {max2.ServerCpuCores,14:F2}");
        Console.WriteLine($"at {half1.RatePerCustomer * half1.Customers:N0} msgs/s offered (half the 1-node maximum), ms p50 / p99:");
        Console.WriteLine($"{"  ack",-34} {Pair(half1.Acknowledgement),14} {Pair(half2.Acknowledgement),14}");
        Console.WriteLine($"{"  customer->agent",-34} {Pair(half1.CustomerToAgent),14} {Pair(half2.CustomerToAgent),14}");
        Console.WriteLine($"{"  agent->customer",-34} {Pair(half1.AgentToCustomer),14} {Pair(half2.AgentToCustomer),14}");
        Console.WriteLine($"{"  errors",-34} {half1.Errors.Values.Sum() + max1.Errors.Values.Sum(),14:N0} {half2.Errors.Values.Sum() + max2.Errors.Values.Sum(),14:N0}");
    }

    /// <summary>--compare stores: one column per store, ratios against the first (SQLite).</summary>
    public static void PrintStoresComparison(IReadOnlyList<StoreResult> stores)
    {
        var baseline = stores[0];
        Console.WriteLine();
        Console.WriteLine("comparison of the stores (same machine, same run, a fresh server each; ratios against " + baseline.Store + ")");
        Console.WriteLine($"{"",-40}" + string.Concat(stores.Select(s => $"{s.Store,22}")));
        Console.WriteLine($"{"chat maximum, durable msgs/s acked",-40}" + string.Concat(stores.Select(s =>
            $"{$"{s.Chat.AcknowledgedPerSecond:N0} ({s.Chat.AcknowledgedPerSecond / baseline.Chat.AcknowledgedPerSecond:P0})",22}")));
        Console.WriteLine($"{"  ack ms p50 / p99",-40}" + string.Concat(stores.Select(s => $"{Pair(s.Chat.Acknowledgement),22}")));
        Console.WriteLine($"{"  server cpu (cores; PostgreSQL's not in)",-40}" + string.Concat(stores.Select(s => $"{s.Chat.ServerCpuCores,22:F2}")));
        Console.WriteLine($"{"  errors",-40}" + string.Concat(stores.Select(s => $"{s.Chat.Errors.Values.Sum(),22:N0}")));
        Console.WriteLine($"{$"one conversation, {baseline.History.Messages:N0} messages:",-40}");
        Console.WriteLine($"{"  fill, msgs/s (32 in flight)",-40}" + string.Concat(stores.Select(s => $"{s.History.FillPerSecond,22:N0}")));
        Console.WriteLine($"{"  newest 50, ms p50 / p99",-40}" + string.Concat(stores.Select(s => $"{Pair(s.History.Newest),22}")));
        Console.WriteLine($"{"  50 before a random id, ms p50 / p99",-40}" + string.Concat(stores.Select(s => $"{Pair(s.History.Before),22}")));
        Console.WriteLine($"{"  50 after a random seq, ms p50 / p99",-40}" + string.Concat(stores.Select(s => $"{Pair(s.History.AfterSeq),22}")));
    }

    private static string Pair(LatencySummary? s) => s is null ? "-" : $"{s.P50:F2} / {s.P99:F2}";

    public static void WriteJson(string path, object results) =>
        File.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
}
