using System.Diagnostics;
namespace ChatHub.Benchmarks;

/// <summary>What one message costs the disk: bytes the process hands to write() per message (log and checkpoints; on
/// every in-process store), and for LiteDB the 8 KB pages its log grows by per message, with LiteDB's own checkpoint
/// off so the log keeps every page written. Messages go to <c>conversations</c> conversations in turn, with
/// <c>concurrency</c> sends in flight (1: a commit per message; more: group commits).
/// <code>dotnet run -c Release --project Benchmarks -- pages [messages] [concurrency] [conversations]</code></summary>
public static class PagesProbe
{
    public static async Task RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0]) : 2_000;
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 1;
        var conversations = args.Length > 2 ? int.Parse(args[2]) : 100;
        Console.WriteLine($"{messages:N0} messages, {concurrency} in flight, over {conversations} conversations");
        Console.WriteLine($"{"store",-8} {"msgs/s",8} {"write() bytes/msg",18} {"log pages/msg",14} {"file bytes/msg",15}");
        foreach (var engine in new[] { Engine.Sqlite, Engine.LiteDb })
            await MeasureAsync(engine, messages, concurrency, conversations);
    }

    private static async Task MeasureAsync(Engine engine, int messages, int concurrency, int conversations)
    {
        await using var fixture = await StoreFixture.OpenAsync(engine, keepLiteDbLog: true);
        var ids = new List<long> { fixture.ConversationId };
        for (var i = 1; i < conversations; i++) ids.Add(await fixture.AddConversationAsync($"c{i}"));
        // Warm: every conversation has a message, the JIT has run.
        foreach (var id in ids) await fixture.AppendAsync(id, $"warm-{id}");

        var litePath = engine == Engine.LiteDb ? LiteDbPaths(fixture) : null;
        (long Log, long Data) Sizes() => litePath is null ? (0, 0) : (new FileInfo(litePath.Value.Log).Length, new FileInfo(litePath.Value.Data).Length);
        var (logBefore, dataBefore) = Sizes();
        var writtenBefore = WrittenBytes();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages)
                await fixture.AppendAsync(ids[i % ids.Count], $"m-{Guid.NewGuid():N}");
        }));
        clock.Stop();
        var written = WrittenBytes() - writtenBefore;
        var (logAfter, dataAfter) = Sizes();
        var logPages = litePath is null ? "" : $"{(logAfter - logBefore) / 8192.0 / messages:F2}";
        var fileBytes = litePath is null ? "" : $"{(logAfter - logBefore + dataAfter - dataBefore) / (double)messages:N0}";
        if (litePath is not null && Environment.GetEnvironmentVariable("CHATHUB_BENCH_KEEP_LOG") is { Length: > 0 } keep)
            File.Copy(litePath.Value.Log, keep, overwrite: true);
        Console.WriteLine($"{engine,-8} {messages / clock.Elapsed.TotalSeconds,8:N0} {written / (double)messages,18:N0} {logPages,14} {fileBytes,15}");
    }

    private static (string Data, string Log)? LiteDbPaths(StoreFixture fixture) =>
        fixture.LiteDbFile is { } path ? (path, Path.ChangeExtension(path, null) + "-log.litedb") : null;

    /// <summary>Bytes this process passed to write() so far (Linux: /proc/self/io "wchar").</summary>
    private static long WrittenBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/io"))
            if (line.StartsWith("wchar:")) return long.Parse(line["wchar:".Length..].Trim());
        return 0;
    }
}
