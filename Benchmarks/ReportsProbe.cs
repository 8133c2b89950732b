using System.Diagnostics;
using ChatHub.Server.Features.Reports;
using ChatHub.Server.Storage;

namespace ChatHub.Benchmarks;

/// <summary>Reports (issue 25) at a million messages: a year of conversations (by default 20,000 of 50 messages each,
/// in 4 inboxes, assigned to 10 agents, 90 % answered, 80 % resolved, 30 % rated), then each report a server makes
/// (the store's query of the period's conversations, then the figures of the period and of each day, as GetReport
/// does) timed one at a time: p50 / max of 20 (after 3 to warm up), and the p50 of the store's query alone; the stores
/// interleaved as in HistoryProbe.
/// <code>dotnet run -c Release --project Benchmarks -- reports [messages] [sqlite,litedb,postgres] [conversations]</code></summary>
public static class ReportsProbe
{
    private const int Warmup = 3, Timed = 20;
    private const long Day = 86_400_000;

    public static async Task RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var engines = args.Length > 1 ? args[1].Split(',').Select(e => Enum.Parse<Engine>(e, ignoreCase: true)).ToArray() : Enum.GetValues<Engine>();
        var conversations = args.Length > 2 ? int.Parse(args[2]) : 20_000;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Console.WriteLine($"{messages:N0} messages in {conversations:N0} conversations over 365 days; reports timed one at a time, ms p50 / max of {Timed}");
        var fixtures = new List<(StoreFixture Fixture, long[] Inboxes, long[] Agents)>();
        try
        {
            foreach (var engine in engines)
            {
                var fixture = await StoreFixture.OpenAsync(engine);
                var fill = Stopwatch.StartNew();
                var (inboxes, agents) = await FillAsync(fixture, messages, conversations, now);
                Console.WriteLine($"{engine,-8} filled in {fill.Elapsed.TotalSeconds:F1} s");
                fixtures.Add((fixture, inboxes, agents));
            }
            var reports = new (string Name, Func<long[], long[], ReportQuery> Query)[]
            {
                ("last 30 days", (_, _) => new ReportQuery(now - 30 * Day, now, null, null, 200_001)),
                ("last 366 days", (_, _) => new ReportQuery(now - 366 * Day, now, null, null, 200_001)),
                ("366 days, one inbox", (inboxes, _) => new ReportQuery(now - 366 * Day, now, inboxes[1], null, 200_001)),
                ("366 days, one agent", (_, agents) => new ReportQuery(now - 366 * Day, now, null, agents[2], 200_001)),
            };
            foreach (var (name, query) in reports)
            {
                var times = fixtures.Select(_ => new List<double>()).ToList();
                var queries = fixtures.Select(_ => new List<double>()).ToList();
                var rows = new int[fixtures.Count];
                for (var i = 0; i < Warmup + Timed; i++)
                {
                    for (var s = 0; s < fixtures.Count; s++)
                    {
                        var q = query(fixtures[s].Inboxes, fixtures[s].Agents);
                        var started = Stopwatch.GetTimestamp();
                        var facts = await fixtures[s].Fixture.Store.ReadAsync(r => r.ListReportFactsAsync(q));
                        var queried = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        ReportFigures.Of(facts, q.From, q.To);
                        ReportFigures.PerDay(facts, ReportDays.Of(q.From, q.To, TimeZoneInfo.Utc));
                        if (i >= Warmup) times[s].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        if (i >= Warmup) queries[s].Add(queried);
                        rows[s] = facts.Count;
                    }
                }
                Console.WriteLine($"  {name,-20}" + string.Concat(fixtures.Select((f, s) =>
                    $"   {f.Fixture.Engine} {Percentile(times[s], 0.5):F1} / {times[s].Max():F1} (store query {Percentile(queries[s], 0.5):F1}; {rows[s]:N0} conversations)")));
            }
        }
        finally
        {
            foreach (var (fixture, _, _) in fixtures) await fixture.DisposeAsync();
        }
    }

    /// <summary>Conversations spread evenly over the past 365 days, each with its messages (a customer's and an agent's in
    /// turn, a minute apart), written 100 conversations per command.</summary>
    private static async Task<(long[] Inboxes, long[] Agents)> FillAsync(StoreFixture fixture, int messages, int conversations, long now)
    {
        var (inboxes, agents) = await fixture.Store.WriteAsync(async w =>
        {
            var inboxIds = new List<long> { (await w.GetConversationAsync(fixture.ConversationId))!.InboxId };
            for (var i = 1; i < 4; i++) inboxIds.Add(await w.InsertInboxAsync(new InboxRow { Identifier = $"report-{i}", Name = $"Inbox {i}", HmacToken = "x", CreatedAt = 1 }));
            var agentIds = new List<long>();
            for (var i = 0; i < 10; i++)
                agentIds.Add(await w.InsertAgentAsync(new AgentRow { Name = $"Agent {i}", Email = $"a{i}@example.com", AccessTokenHash = $"h{i}", PubsubToken = $"p{i}", CreatedAt = 1 }));
            return (inboxIds.ToArray(), agentIds.ToArray());
        });
        var perConversation = Math.Max(1, messages / conversations);
        var random = new Random(7);
        const int PerCommand = 100;
        for (var done = 0; done < conversations; done += PerCommand)
        {
            var batch = Math.Min(PerCommand, conversations - done);
            var start = done;
            await fixture.Store.WriteAsync(async w =>
            {
                for (var i = 0; i < batch; i++)
                {
                    var n = start + i;
                    var created = now - 365 * Day + (long)(n * (365.0 * Day / conversations));
                    var inbox = inboxes[n % inboxes.Length];
                    var c = new ConversationRow
                    {
                        Uuid = Guid.NewGuid().ToString(), InboxId = inbox, ContactId = fixture.ContactId, Status = "open",
                        CreatedAt = created, LastActivityAt = created,
                    };
                    c.Id = await w.InsertConversationAsync(c);
                    for (var m = 0; m < perConversation; m++)
                    {
                        var agent = m % 2 == 1;
                        await w.RecordChangeAsync(c, visibleToContact: true);
                        await w.InsertMessageAsync(new MessageRow
                        {
                            ConversationId = c.Id, Seq = c.Seq, ContactSeq = c.ContactSeq, MessageType = agent ? 1 : 0, Content = $"message {m}",
                            ContentType = "text", SenderType = agent ? "agent" : "contact", SenderId = agent ? agents[n % agents.Length] : fixture.ContactId,
                            CreatedAt = created + m * 60_000, UpdatedAt = created + m * 60_000,
                        });
                    }
                    c.AssigneeId = agents[n % agents.Length];
                    if (random.NextDouble() < 0.9) c.FirstReplyAt = created + random.Next(10_000, 3_600_000);
                    if (random.NextDouble() < 0.8) (c.Status, c.ResolvedAt) = ("resolved", created + random.Next(60_000, 3 * 86_400_000));
                    if (c.ResolvedAt is { } resolved && random.NextDouble() < 0.3)
                        (c.CsatRating, c.CsatComment, c.CsatAt) = (random.Next(1, 6), random.NextDouble() < 0.3 ? "a comment" : null, resolved + 600_000);
                    await w.RecordChangeAsync(c, visibleToContact: true);
                }
                return 0;
            });
        }
        return (inboxes, agents);
    }

    private static double Percentile(List<double> times, double p)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }
}
