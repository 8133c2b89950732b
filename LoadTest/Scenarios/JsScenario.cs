using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ChatHub.LoadTest.Setup;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>The figures of one target in the js scenario. CPU is the server process's own (utime + stime from /proc)
/// over the measured window, per answered call.</summary>
public sealed record JsResult
{
    public required string Target { get; init; }
    /// <summary>ChatHub's store ("" for the echo server).</summary>
    public string Store { get; init; } = "";
    /// <summary>Which round of the run (from 1).</summary>
    public int Round { get; init; } = 1;
    public required int Connections { get; init; }
    public required double Seconds { get; init; }
    public required long Calls { get; init; }
    public double CallsPerSecond => Calls / Seconds;
    public required double P50 { get; init; }
    public required double P90 { get; init; }
    public required double P99 { get; init; }
    public required double Max { get; init; }
    /// <summary>MessageCreated pushes the agent received in the window (send only).</summary>
    public required long Pushes { get; init; }
    public required IReadOnlyDictionary<string, long> Errors { get; init; }
    public required double ServerCpuSeconds { get; init; }
    public double ServerCpuMicrosPerCall => Calls == 0 ? 0 : ServerCpuSeconds * 1e6 / Calls;
    public double ServerCores => ServerCpuSeconds / Seconds;
    public required double ClientCores { get; init; }
    /// <summary>The database's CPU in the window (PostgreSQL's whole cluster; 0 for the embedded stores, whose work is
    /// the server's own): beside the server's, what a message costs the machine.</summary>
    public double DatabaseCpuSeconds { get; init; }
    public double DatabaseCpuMicrosPerCall => Calls == 0 ? 0 : DatabaseCpuSeconds * 1e6 / Calls;
    /// <summary>The server's thread switches (context switches of its threads, /proc) in the window.</summary>
    public required long ServerContextSwitches { get; init; }
    public double ServerSwitchesPerCall => Calls == 0 ? 0 : (double)ServerContextSwitches / Calls;
    /// <summary>ChatHub's group commits in the window (from its /metrics): how many, and the seconds they took from
    /// their first command to their durable commit (the writer's serial part, after-commit work not in). Send only.</summary>
    public StoreCommits? Commits { get; init; }
}

/// <summary>Totals of ChatHub's group-commit histograms (chathub_store_commit_*) at one moment, summed over stores.</summary>
public sealed record StoreCommits(double Batches, double Commands, double Seconds)
{
    public static async Task<StoreCommits?> ScrapeAsync(Uri server)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var text = await http.GetStringAsync(new Uri(server, "/metrics"));
            // "name{labels} value [timestamp]", one line per label set.
            double Sum(string name) => text.Split('\n')
                .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.Contains('}') ? l.LastIndexOf('}') + 1 : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            return new StoreCommits(Sum("chathub_store_commit_batch_size_count"), Sum("chathub_store_commit_batch_size_sum"),
                Sum("chathub_store_commit_duration_seconds_sum"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException)
        {
            return null;
        }
    }

    public static StoreCommits? Between(StoreCommits? before, StoreCommits? after) =>
        before is null || after is null ? null : new(after.Batches - before.Batches, after.Commands - before.Commands, after.Seconds - before.Seconds);
}

/// <summary>The issue-22 yardstick: the official @microsoft/signalr JavaScript client (LoadTest/js/closed-loop.mjs),
/// N connections each calling in a closed loop, against a bare SignalR echo hub (SignalR's ceiling here) and against
/// ChatHub's durable SendMessage (each customer in a conversation of its own, one agent in the inbox receiving every
/// message), and ChatHub's Ping on the same connections (its transport alone), each server spawned alone in turn.
/// Reports calls/s, latency, and the server's CPU and thread switches per call.</summary>
public static class JsScenario
{
    public static async Task<IReadOnlyList<JsResult>> RunAsync(JsOptions options)
    {
        await NodeClient.EnsureInstalledAsync();
        if (options.Trace is not null) Directory.CreateDirectory(options.Trace);
        var results = new List<JsResult>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var (target, store) in options.Runs)
            {
                Console.Error.WriteLine($"[{target} {store}] round {round}, load average {LoadAverage()}");
                var result = target == "echo" ? await RunEchoAsync(options) : await RunChatHubAsync(options with { Store = store }, target);
                results.Add(result with { Store = store, Round = round });
            }
        }
        return results;
    }

    private static async Task<JsResult> RunEchoAsync(JsOptions options)
    {
        await using var server = await EchoServerProcess.StartAsync();
        return await MeasureAsync(options, "echo", server.ProcessId, databasePid: null, new
        {
            url = server.HubUrl.ToString(),
            target = "echo",
            options.Connections,
            options.WarmupSeconds,
            options.DurationSeconds,
        });
    }

    private static async Task<JsResult> RunChatHubAsync(JsOptions options, string target)
    {
        await using var server = await ServerUnderTest.SpawnAsync(new LoadOptions { Store = options.Store, Synchronous = options.Synchronous, ServerSettings = options.ServerSettings });
        await using var population = new Population(server);
        var contacts = await population.CreateContactsAsync(options.Connections);
        var agentToken = (await population.CreateAgentsAsync(1))[0];
        Console.Error.WriteLine($"[{target}] {options.Connections} customers and 1 agent at {server.Url} ({options.Store})");
        return await MeasureAsync(options, target, server.ProcessIds[0], server.DatabasePid, new
        {
            url = new Uri(server.Url, "/hubs/chat").ToString(),
            target,
            customers = contacts.Select(c => c.PubsubToken).ToArray(),
            agentToken,
            options.WarmupSeconds,
            options.DurationSeconds,
        }, metrics: server.Url);
    }

    /// <summary>Runs the Node client and reads the server's and the client's CPU at the start and the end of its
    /// measured window (the moments it prints them).</summary>
    private static async Task<JsResult> MeasureAsync(JsOptions options, string target, int serverPid, int? databasePid, object config, Uri? metrics = null)
    {
        StoreCommits? commitsBefore = null;
        Console.Error.WriteLine($"[{target}] server pid {serverPid}; {options.WarmupSeconds} s warm-up, {options.DurationSeconds} s measured");
        TimeSpan serverStart = default, clientStart = default, databaseStart = default;
        long switchesStart = 0;
        JsResult? result = null;
        Process? trace = null;
        var exit = await NodeClient.RunAsync(config, async (node, line) =>
        {
            switch ((string?)line["event"])
            {
                case "measuring":
                    (serverStart, clientStart, switchesStart) = (ProcessCpu.Of(serverPid), ProcessCpu.Of(node.Id), ProcessCpu.ContextSwitches(serverPid));
                    if (databasePid is { } startPid) databaseStart = ProcessCpu.OfTree(startPid);
                    if (metrics is not null) commitsBefore = await StoreCommits.ScrapeAsync(metrics);
                    if (options.Trace is not null) trace = StartTrace(options, target, serverPid);
                    break;
                case "done":
                    var (serverCpu, clientCpu) = (ProcessCpu.Of(serverPid) - serverStart, ProcessCpu.Of(node.Id) - clientStart);
                    var switches = ProcessCpu.ContextSwitches(serverPid) - switchesStart;
                    var databaseCpu = databasePid is { } endPid ? ProcessCpu.OfTree(endPid) - databaseStart : TimeSpan.Zero;
                    var seconds = (double)line["seconds"]!;
                    var commits = metrics is null ? null : StoreCommits.Between(commitsBefore, await StoreCommits.ScrapeAsync(metrics));
                    result = new JsResult
                    {
                        Target = target,
                        Connections = (int)line["connections"]!,
                        Seconds = seconds,
                        Calls = (long)line["calls"]!,
                        P50 = (double?)line["p50"] ?? 0,
                        P90 = (double?)line["p90"] ?? 0,
                        P99 = (double?)line["p99"] ?? 0,
                        Max = (double?)line["max"] ?? 0,
                        Pushes = (long)line["pushes"]!,
                        Errors = line["errors"]!.AsObject().ToDictionary(e => e.Key, e => (long)e.Value!),
                        ServerCpuSeconds = serverCpu.TotalSeconds,
                        ClientCores = clientCpu.TotalSeconds / seconds,
                        DatabaseCpuSeconds = databaseCpu.TotalSeconds,
                        Commits = commits,
                        ServerContextSwitches = switches,
                    };
                    Console.Error.WriteLine($"[{target}] {result.CallsPerSecond:N0} calls/s, server {result.ServerCpuMicrosPerCall:N0} µs CPU per call");
                    break;
            }
        });
        if (trace is not null)
        {
            await trace.WaitForExitAsync();
            Console.Error.WriteLine($"[{target}] trace: {Path.Combine(options.Trace!, target + ".nettrace")} (exit {trace.ExitCode}); " +
                $"read it with: dotnet-trace report FILE topN --inclusive");
        }
        return result ?? throw new InvalidOperationException($"the Node client of the {target} run exited with {exit} before reporting");
    }

    private static Process StartTrace(JsOptions options, string target, int pid)
    {
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        var start = new ProcessStartInfo("dotnet-trace", ["collect-linux", "--profile", "cpu-sampling", "-p", pid.ToString(CultureInfo.InvariantCulture),
            "-o", Path.Combine(options.Trace!, target + ".nettrace"), "--duration", $"00:{duration:hh\\:mm\\:ss}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        var trace = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start (dotnet tool install -g dotnet-trace)");
        trace.OutputDataReceived += (_, _) => { };
        trace.BeginOutputReadLine();
        return trace;
    }

    private static string RoundsNote(int rounds) => rounds > 1 ? $" (median of {rounds} rounds)" : "";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public static void Print(IReadOnlyList<JsResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"round",5} {"target",-6} {"store",-8} {"conns",5} {"calls/s",9} {"p50 ms",7} {"p90 ms",7} {"p99 ms",7} {"server µs/call",15} {"db µs/call",11} {"switches/call",14} {"server cores",13} {"client cores",13} {"pushes/s",9} {"errors",7}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Round,5} {r.Target,-6} {r.Store,-8} {r.Connections,5} {r.CallsPerSecond,9:N0} {r.P50,7:F2} {r.P90,7:F2} {r.P99,7:F2} {r.ServerCpuMicrosPerCall,15:N0} {(r.DatabaseCpuSeconds > 0 ? r.DatabaseCpuMicrosPerCall.ToString("N0") : "-"),11} {r.ServerSwitchesPerCall,14:F2} " +
                $"{r.ServerCores,13:F2} {r.ClientCores,13:F2} {(r.Target == "send" ? (r.Pushes / r.Seconds).ToString("N0") : "-"),9} {r.Errors.Values.Sum(),7:N0}");
            foreach (var (code, count) in r.Errors) Console.WriteLine($"{"",8}error {code}: {count:N0}");
        }
        var rounds = results.GroupBy(r => r.Round).ToList();
        JsResult? Find(IEnumerable<JsResult> round, string target, string? store = null) =>
            round.FirstOrDefault(r => r.Target == target && (store is null || r.Store == store));
        var sendEcho = rounds.Select(round => (send: Find(round, "send"), echo: Find(round, "echo")))
            .Where(p => p is { send: not null, echo: not null }).ToList();
        if (sendEcho.Count > 0)
        {
            Console.WriteLine($"send/echo{RoundsNote(sendEcho.Count)}: throughput {Median(sendEcho.Select(p => p.send!.CallsPerSecond / p.echo!.CallsPerSecond)):F2} (issue 22 asks >= 0.50), " +
                $"server CPU per call {Median(sendEcho.Select(p => p.send!.ServerCpuMicrosPerCall / p.echo!.ServerCpuMicrosPerCall)):F1}x (asks <= 3.0x)");
        }
        foreach (var store in new[] { "postgres", "litedb" })
        {
            var pairs = rounds.Select(round => (other: Find(round, "send", store), sqlite: Find(round, "send", "sqlite")))
                .Where(p => p is { other: not null, sqlite: not null }).ToList();
            if (pairs.Count == 0) continue;
            Console.WriteLine($"{store}/sqlite{RoundsNote(pairs.Count)}: throughput {Median(pairs.Select(p => p.other!.CallsPerSecond / p.sqlite!.CallsPerSecond)):F2} " +
                $"(issue 22 asks >= {(store == "postgres" ? "0.50" : "0.25")}), server CPU per call {Median(pairs.Select(p => p.other!.ServerCpuMicrosPerCall / p.sqlite!.ServerCpuMicrosPerCall)):F1}x" +
                (store == "postgres" ? $", server and database CPU per call {Median(pairs.Select(p => (p.other!.ServerCpuMicrosPerCall + p.other.DatabaseCpuMicrosPerCall) / p.sqlite!.ServerCpuMicrosPerCall)):F1}x" : ""));
        }
        foreach (var r in results)
        {
            if (r.Commits is { Batches: > 0 } c)
                Console.WriteLine($"{r.Target}: {c.Batches / r.Seconds:N0} group commits/s, {c.Commands / c.Batches:F1} commands each, " +
                    $"{c.Seconds * 1e3 / c.Batches:F2} ms each (first command to durable commit), {c.Seconds * 1e6 / c.Commands:F0} µs of it per command");
        }
        Console.WriteLine($"load average now {LoadAverage()} ({Environment.ProcessorCount} cores)");
    }
}
