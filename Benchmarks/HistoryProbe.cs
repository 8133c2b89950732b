using System.Diagnostics;
using ChatHub.Server.Storage;

namespace ChatHub.Benchmarks;

/// <summary>History pages on one long conversation per store, timed one at a time with a stopwatch: p50 / p99 of 400
/// pages of each kind (after 50 to warm up; CHATHUB_HISTORY_PAGES=N times N instead), with what each page allocated
/// and how many of the timed pages a garbage collection fell in (the usual cause of a slow page), each the store reads of the hub's GetMessages
/// (<see cref="StoreFixture.ReadPageAsync"/>), as LoadTest's history phase reads them but without the hub. The stores'
/// pages are interleaved (one page on each store in turn), so that whatever else the machine does falls on all of
/// them alike: a fairer tail than BenchmarkDotNet's one store after the other, and quicker.
/// <code>dotnet run -c Release --project Benchmarks -- history [messages] [sqlite,litedb,postgres] [seed|send]</code>
/// seed: 10,000 messages per command; send: one message per command, 32 in flight (the load test's fill).</summary>
public static class HistoryProbe
{
    private const int Warmup = 50;
    private static readonly int Timed = int.TryParse(Environment.GetEnvironmentVariable("CHATHUB_HISTORY_PAGES"), out var n) && n >= 100 ? n : 400;

    public static async Task RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        var engines = args.Length > 1 ? args[1].Split(',').Select(e => Enum.Parse<Engine>(e, ignoreCase: true)).ToArray() : Enum.GetValues<Engine>();
        var send = args.Length > 2 && args[2] == "send";
        Console.WriteLine($"{messages:N0} messages in one conversation ({(send ? "sent one per command, 32 in flight" : "seeded")}), " +
            "pages of 50 for its contact, the stores interleaved; ms p50 / p99 (ratio of p99 to SQLite's), KB allocated per page, pages a GC fell in");
        var fixtures = new List<StoreFixture>();
        try
        {
            foreach (var engine in engines)
            {
                var fixture = await StoreFixture.OpenAsync(engine);
                fixtures.Add(fixture);
                var fill = Stopwatch.StartNew();
                await FillAsync(fixture, messages, send);
                Console.WriteLine($"{engine,-8} filled in {fill.Elapsed.TotalSeconds:F1} s ({messages / fill.Elapsed.TotalSeconds:N0} msgs/s)");
            }
            var kinds = new (string Name, Func<StoreFixture, Random, MessageQuery> Query)[]
            {
                ("newest 50", (f, _) => new MessageQuery(f.ConversationId, null, null, 51, true)),
                ("50 before a random id", (f, random) => new MessageQuery(f.ConversationId, random.NextInt64(f.Seeded.FirstId + 100, f.Seeded.LastId + 1), null, 51, true)),
                ("50 after a random seq", (f, random) => new MessageQuery(f.ConversationId, null, random.NextInt64(0, f.Seeded.LastContactSeq - 100), 51, true)),
            };
            foreach (var (name, query) in kinds)
            {
                var times = fixtures.Select(_ => new List<double>()).ToList();
                var allocated = new long[fixtures.Count];
                var collected = new int[fixtures.Count];
                var randoms = fixtures.Select(_ => new Random(42)).ToList();
                for (var i = 0; i < Warmup + Timed; i++)
                {
                    for (var s = 0; s < fixtures.Count; s++)
                    {
                        var q = query(fixtures[s], randoms[s]);
                        var (collections, bytes) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
                        var started = Stopwatch.GetTimestamp();
                        if (await fixtures[s].ReadPageAsync(q) == 0) throw new InvalidOperationException("an empty page");
                        if (i < Warmup) continue;
                        times[s].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        allocated[s] += GC.GetTotalAllocatedBytes() - bytes;
                        if (GC.CollectionCount(0) != collections) collected[s]++;
                    }
                }
                var p99 = times.Select(t => Percentile(t, 0.99)).ToList();
                var sqlite = engines.ToList().IndexOf(Engine.Sqlite);
                Console.WriteLine($"  {name,-22}" + string.Concat(fixtures.Select((f, s) =>
                    $"   {f.Engine} {Percentile(times[s], 0.5):F2} / {p99[s]:F2}" + (sqlite >= 0 && s != sqlite ? $" ({p99[s] / p99[sqlite]:F1}x)" : "") +
                    $" {allocated[s] / Timed / 1024} KB {collected[s]} GC")));
            }
        }
        finally
        {
            foreach (var fixture in fixtures) await fixture.DisposeAsync();
        }
    }

    private static async Task FillAsync(StoreFixture fixture, int messages, bool send)
    {
        if (!send)
        {
            await fixture.SeedAsync(messages);
            return;
        }
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages) await fixture.AppendAsync($"h-{i}");
        }));
        var last = await fixture.Store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(fixture.ConversationId, null, null, 1, false)));
        fixture.SetSeeded(last[0].Id - messages + 1, last[0].Id, last[0].ContactSeq ?? 0);
    }

    private static double Percentile(List<double> times, double p)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }
}
