using System.Diagnostics;
using ChatHub.Server.Storage;

namespace ChatHub.Benchmarks;

/// <summary>History pages on one long conversation, timed one at a time with a stopwatch (p50 / p99 of 400 pages of
/// each kind, with the store reads of the hub's GetMessages: <see cref="StoreFixture.ReadPageAsync"/>), as LoadTest's
/// history phase reads them but without the hub: quicker than BenchmarkDotNet for a look.
/// <code>dotnet run -c Release --project Benchmarks -- history [messages] [sqlite,litedb,postgres] [seed|send]</code>
/// seed: 10,000 messages per command; send: one message per command, 32 in flight (the load test's fill).</summary>
public static class HistoryProbe
{
    public static async Task RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        var engines = args.Length > 1 ? args[1].Split(',').Select(e => Enum.Parse<Engine>(e, ignoreCase: true)).ToArray() : Enum.GetValues<Engine>();
        var send = args.Length > 2 && args[2] == "send";
        Console.WriteLine($"{messages:N0} messages in one conversation ({(send ? "sent one per command" : "seeded")}), pages of 50 for its contact; ms p50 / p99");
        foreach (var engine in engines)
        {
            await using var fixture = await StoreFixture.OpenAsync(engine);
            var fill = Stopwatch.StartNew();
            if (send)
            {
                var next = -1;
                await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < messages) await fixture.AppendAsync($"h-{i}");
                }));
                var last = await fixture.Store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(fixture.ConversationId, null, null, 1, false)));
                fixture.SetSeeded(last[0].Id - messages + 1, last[0].Id, last[0].ContactSeq ?? 0);
            }
            else await fixture.SeedAsync(messages);
            fill.Stop();
            var (firstId, lastId, lastContactSeq) = fixture.Seeded;
            var random = new Random(42);
            var newest = Time(fixture, () => new MessageQuery(fixture.ConversationId, null, null, 51, true));
            var before = Time(fixture, () => new MessageQuery(fixture.ConversationId, random.NextInt64(firstId + 60, lastId + 1), null, 51, true));
            var after = Time(fixture, () => new MessageQuery(fixture.ConversationId, null, random.NextInt64(0, lastContactSeq - 60), 51, true));
            Console.WriteLine($"{engine,-8} fill {fill.Elapsed.TotalSeconds,6:F1} s   newest {newest}   before an id {before}   after a seq {after}");
        }
    }

    private static string Time(StoreFixture fixture, Func<MessageQuery> query)
    {
        var times = new List<double>();
        for (var i = 0; i < 450; i++)
        {
            var q = query();
            var started = Stopwatch.GetTimestamp();
            var count = fixture.ReadPageAsync(q).GetAwaiter().GetResult();
            if (i >= 50) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (count == 0) throw new InvalidOperationException("an empty page");
        }
        times.Sort();
        return $"{times[times.Count / 2],6:F2} / {times[(int)(times.Count * 0.99)],6:F2}";
    }
}
