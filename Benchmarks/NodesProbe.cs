using System.Diagnostics;
using ChatHub.Server.Storage;
using ChatHub.Server.Storage.Postgres;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatHub.Benchmarks;

/// <summary>Durable sends per second on one PostgreSQL database from one store instance (a node) and from two, in
/// turn, in one process: the store alone (its pools and writer lanes, the database's locks and WAL), without SignalR or
/// Redis, which LoadTest's <c>--compare nodes</c> adds. Each of <c>writers</c> closed-loop writers sends into a
/// conversation of its own contact as SendMessage does (the conversation held, the echoId looked for, the message
/// appended with the next seq), half of them on each node when there are two; every conversation's seqs are checked
/// gap-free at the end. One and two nodes alternate <c>rounds</c> times, so the machine's other work falls on both.
/// <code>dotnet run -c Release --project Benchmarks -- nodes [seconds] [writers] [rounds] [lanes]</code></summary>
public static class NodesProbe
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
        var writers = args.Length > 1 ? int.Parse(args[1]) : 100;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 2;
        var lanes = args.Length > 3 ? int.Parse(args[3]) : new PostgresOptions().WriterLanes;
        Console.WriteLine($"{writers} writers, {seconds} s per run, {lanes} writer lanes per node, PostgreSQL fsync on");
        await using var cluster = await PostgresCluster.StartAsync(fsync: true);
        var options = new PostgresOptions { ConnectionString = cluster.ConnectionString("postgres", maxPoolSize: 50), WriterLanes = lanes };
        var conversations = await SeedAsync(options, writers);
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var nodes in new[] { 1, 2 })
            {
                var sent = await MeasureAsync(options, nodes, conversations, seconds);
                Console.WriteLine($"round {round}: {nodes} node{(nodes == 1 ? " " : "s")} {sent / (double)seconds,8:N0} durable msgs/s");
            }
        }
        await CheckGapFreeAsync(options, conversations);
    }

    private static PostgresChatStore Open(PostgresOptions options) => new(Options.Create(options), NullLogger<PostgresChatStore>.Instance);

    private static async Task<List<(long ContactId, long ConversationId)>> SeedAsync(PostgresOptions options, int writers)
    {
        await using var store = Open(options);
        return await store.WriteAsync(async w =>
        {
            var inboxId = await w.InsertInboxAsync(new InboxRow { Identifier = "nodes", Name = "Nodes", HmacToken = "x", CreatedAt = 1 });
            var list = new List<(long, long)>();
            for (var i = 0; i < writers; i++)
            {
                var contactId = await w.InsertContactAsync(new ContactRow
                {
                    InboxId = inboxId, SourceId = $"s{i}", PubsubToken = $"t{i}", PubsubTokenHash = $"h{i}", Name = $"c{i}", CreatedAt = 1,
                });
                list.Add((contactId, await w.InsertConversationAsync(new ConversationRow
                {
                    Uuid = Guid.NewGuid().ToString(), InboxId = inboxId, ContactId = contactId, Status = "open", CreatedAt = 1, LastActivityAt = 1,
                })));
            }
            return list;
        });
    }

    /// <summary>Messages acknowledged in <paramref name="seconds"/> (after a second's warm-up) by <paramref name="nodes"/> stores.</summary>
    private static async Task<long> MeasureAsync(PostgresOptions options, int nodes, List<(long ContactId, long ConversationId)> conversations, int seconds)
    {
        var stores = Enumerable.Range(0, nodes).Select(_ => Open(options)).ToArray();
        try
        {
            long sent = 0;
            var measuring = false;
            using var stop = new CancellationTokenSource();
            var loops = conversations.Select((c, i) => Task.Run(async () =>
            {
                var store = stores[i % nodes];
                while (!stop.IsCancellationRequested)
                {
                    await SendAsync(store, c.ContactId, c.ConversationId);
                    if (Volatile.Read(ref measuring)) Interlocked.Increment(ref sent);
                }
            })).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Volatile.Write(ref measuring, true);
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            Volatile.Write(ref measuring, false);
            var counted = Interlocked.Read(ref sent);
            stop.Cancel();
            await Task.WhenAll(loops);
            return (long)(counted * seconds / clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    /// <summary>What SendMessage asks of the store for a contact's text message.</summary>
    private static Task<long> SendAsync(IChatStore store, long contactId, long conversationId) =>
        store.WriteAsync(WriteOrder.OfContact(contactId), async w =>
        {
            var echoId = Guid.NewGuid().ToString("N");
            var held = w.GetConversationForUpdateAsync(conversationId);
            var author = w.GetContactAsync(contactId);
            var retried = w.FindMessageByEchoAsync(conversationId, "contact", contactId, echoId);
            var c = (await held)!;
            await author;
            if (await retried is { } original) return original.Id;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            c.LastActivityAt = now;
            return await w.AppendMessageAsync(c, new MessageRow
            {
                ConversationId = c.Id, MessageType = 0, Content = "nodes probe", ContentType = "text", EchoId = echoId,
                SenderType = "contact", SenderId = contactId, CreatedAt = now, UpdatedAt = now,
            }, visibleToContact: true);
        });

    private static async Task CheckGapFreeAsync(PostgresOptions options, List<(long ContactId, long ConversationId)> conversations)
    {
        await using var store = Open(options);
        long total = 0;
        foreach (var (_, id) in conversations)
        {
            var seqs = new List<long>();
            long after = 0;
            while (true)
            {
                var page = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(id, null, after, 1000, false)));
                if (page.Count == 0) break;
                seqs.AddRange(page.Select(m => m.Seq));
                after = page[^1].Seq;
            }
            if (!seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(s => (long)s)))
                throw new InvalidOperationException($"conversation {id}: seqs are not 1..{seqs.Count}");
            total += seqs.Count;
        }
        Console.WriteLine($"{total:N0} messages in {conversations.Count} conversations, every conversation's seqs 1..N without a gap");
    }
}
