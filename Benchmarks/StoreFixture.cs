using ChatHub.Server.Storage;
using ChatHub.Server.Storage.LiteDb;
using ChatHub.Server.Storage.Postgres;
using ChatHub.Server.Storage.Sqlite;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatHub.Benchmarks;

/// <summary>The three stores a server can run on.</summary>
public enum Engine { Sqlite, LiteDb, Postgres }

/// <summary>A real store in a temporary folder (PostgreSQL: a cluster of its own there, fsync on), with one inbox,
/// contact and conversation.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly string _directory;
    private readonly PostgresCluster? _postgres;

    private StoreFixture(Engine engine, string directory, IChatStore store, PostgresCluster? postgres)
    {
        (Engine, _directory, Store, _postgres) = (engine, directory, store, postgres);
        (ConversationId, ContactId) = Store.WriteAsync(async w =>
        {
            var inboxId = await w.InsertInboxAsync(new InboxRow { Identifier = "bench", Name = "Bench", HmacToken = "x", CreatedAt = 1 });
            var contactId = await w.InsertContactAsync(new ContactRow
            {
                InboxId = inboxId, SourceId = "source", PubsubToken = "token", PubsubTokenHash = "hash", Name = "Ann", CreatedAt = 1,
            });
            var conversationId = await w.InsertConversationAsync(new ConversationRow
            {
                Uuid = Guid.NewGuid().ToString(), InboxId = inboxId, ContactId = contactId, Status = "open", CreatedAt = 1, LastActivityAt = 1,
            });
            return (conversationId, contactId);
        }).GetAwaiter().GetResult();
    }

    /// <param name="synchronous">SQLite's synchronous setting (FULL: an fsync per commit, as the server runs by default).</param>
    /// <param name="keepLiteDbLog">LiteDB's checkpoints off (its own, a pragma kept in the file, and the store's
    /// forced one), so that its log keeps every page written: the log's growth counts them.</param>
    public static async Task<StoreFixture> OpenAsync(Engine engine, string synchronous = "FULL", bool keepLiteDbLog = false)
    {
        var directory = Directory.CreateTempSubdirectory("chathub-bench-").FullName;
        switch (engine)
        {
            case Engine.Sqlite:
                return new StoreFixture(engine, directory, new SqliteChatStore(Options.Create(new SqliteOptions
                {
                    Path = Path.Combine(directory, "bench.db"), Synchronous = synchronous,
                }), NullLogger<SqliteChatStore>.Instance), null);
            case Engine.LiteDb:
                var path = Path.Combine(directory, "bench.litedb");
                if (keepLiteDbLog)
                {
                    using var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = path, Collation = LiteDB.Collation.Binary });
                    db.CheckpointSize = 0;
                }
                var store = new LiteDbChatStore(Options.Create(new LiteDbOptions
                {
                    Path = path, ForcedCheckpointLogBytes = keepLiteDbLog ? long.MaxValue : new LiteDbOptions().ForcedCheckpointLogBytes,
                }), NullLogger<LiteDbChatStore>.Instance);
                return new StoreFixture(engine, directory, store, null) { LiteDbFile = path };
            default:
                var cluster = await PostgresCluster.StartAsync(fsync: true);
                try
                {
                    return new StoreFixture(engine, directory, new PostgresChatStore(Options.Create(new PostgresOptions
                    {
                        ConnectionString = cluster.ConnectionString("postgres", maxPoolSize: 50),
                    }), NullLogger<PostgresChatStore>.Instance), cluster);
                }
                catch
                {
                    await cluster.DisposeAsync();
                    throw;
                }
        }
    }

    public Engine Engine { get; }
    /// <summary>LiteDB's data file (its log is "&lt;name&gt;-log.litedb" beside it); null on the other stores.</summary>
    public string? LiteDbFile { get; private init; }
    public IChatStore Store { get; }
    public long ConversationId { get; }
    public long ContactId { get; }
    /// <summary>The ids <see cref="SeedAsync"/> stored ([FirstId, LastId]) and the conversation's seqs after it.</summary>
    public (long FirstId, long LastId, long LastContactSeq) Seeded { get; private set; }

    /// <summary>For a conversation filled otherwise than by <see cref="SeedAsync"/>.</summary>
    public void SetSeeded(long firstId, long lastId, long lastContactSeq) => Seeded = (firstId, lastId, lastContactSeq);

    /// <summary>The store reads of one GetMessages call, in one snapshot as the hub's handler makes them: the
    /// conversation, the page, its messages' attachments, the conversation's contact and the messages' authors.
    /// Answers the page's size.</summary>
    public Task<int> ReadPageAsync(MessageQuery query) => Store.ReadAsync(async r =>
    {
        var c = (await r.GetConversationAsync(query.ConversationId))!;
        var page = await r.GetMessagesAsync(query);
        if (page.Count > 0) await r.GetAttachmentsOfMessagesAsync(page.Select(m => m.Id).ToList());
        await r.GetContactAsync(c.ContactId);
        foreach (var (type, id) in page.Where(m => m.SenderId is not null).Select(m => (m.SenderType, m.SenderId!.Value)).Distinct())
            _ = type == "contact" ? (object?)await r.GetContactAsync(id) : await r.GetAgentAsync(id);
        return page.Count;
    });

    /// <summary>What a SendMessage does in the writer: the conversation, duplicate check, next seq (and the
    /// conversation's activity time), insert.</summary>
    public Task<MessageRow> AppendAsync(string echoId) => AppendAsync(ConversationId, echoId);

    public Task<MessageRow> AppendAsync(long conversationId, string echoId) => Store.WriteAsync(async w =>
    {
        var c = (await w.GetConversationForUpdateAsync(conversationId))!;
        if (await w.FindMessageByEchoAsync(c.Id, "contact", c.ContactId, echoId) is { } original) return original;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        c.LastActivityAt = now;
        await w.RecordChangeAsync(c, visibleToContact: true);
        var message = new MessageRow
        {
            ConversationId = c.Id, Seq = c.Seq, ContactSeq = c.ContactSeq, MessageType = 0, Content = "benchmark message",
            ContentType = "text", EchoId = echoId, SenderType = "contact", SenderId = c.ContactId, CreatedAt = now, UpdatedAt = now,
        };
        message.Id = await w.InsertMessageAsync(message);
        return message;
    });

    /// <summary>A conversation of its own for another contact (for spreading writes as many customers do).</summary>
    public Task<long> AddConversationAsync(string sourceId) => Store.WriteAsync(async w =>
    {
        var inboxId = (await w.GetConversationAsync(ConversationId))!.InboxId;
        var contactId = await w.InsertContactAsync(new ContactRow
        {
            InboxId = inboxId, SourceId = sourceId, PubsubToken = "t" + sourceId, PubsubTokenHash = "h" + sourceId, Name = sourceId, CreatedAt = 1,
        });
        return await w.InsertConversationAsync(new ConversationRow
        {
            Uuid = Guid.NewGuid().ToString(), InboxId = inboxId, ContactId = contactId, Status = "open", CreatedAt = 1, LastActivityAt = 1,
        });
    });

    /// <summary>Fills the conversation with <paramref name="count"/> messages, <paramref name="perCommand"/> per
    /// command (the store's fastest path: one commit for many rows); every tenth is an agent's private note, which
    /// the contact's reads skip.</summary>
    public async Task SeedAsync(int count, int perCommand = 10_000, Action<int>? progress = null)
    {
        long first = 0, last = 0, lastContactSeq = 0;
        for (var done = 0; done < count; done += perCommand)
        {
            var batch = Math.Min(perCommand, count - done);
            (var batchFirst, last, lastContactSeq) = await Store.WriteAsync(async w =>
            {
                var c = (await w.GetConversationForUpdateAsync(ConversationId))!;
                long firstId = 0, id = 0;
                for (var i = 0; i < batch; i++)
                {
                    var note = (done + i) % 10 == 9;
                    await w.RecordChangeAsync(c, visibleToContact: !note);
                    id = await w.InsertMessageAsync(new MessageRow
                    {
                        ConversationId = c.Id, Seq = c.Seq, ContactSeq = note ? null : c.ContactSeq, MessageType = note ? 1 : 0,
                        Content = $"history {c.Seq}", ContentType = "text", Private = note, SenderType = note ? "agent" : "contact",
                        SenderId = note ? 1 : ContactId, CreatedAt = c.Seq, UpdatedAt = c.Seq,
                    });
                    if (i == 0) firstId = id;
                }
                return (firstId, id, c.ContactSeq);
            });
            if (first == 0) first = batchFirst;
            progress?.Invoke(done + batch);
        }
        Seeded = (first, last, lastContactSeq);
    }

    /// <summary>PostgreSQL's planner statistics brought up to date after a bulk fill (autovacuum does it a minute or so
    /// later in service); nothing on the other stores.</summary>
    public async Task AnalyzeAsync()
    {
        if (_postgres is null) return;
        await using var connection = new Npgsql.NpgsqlConnection(_postgres.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE", connection);
        analyze.CommandTimeout = 600;
        await analyze.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        switch (Store)
        {
            case IAsyncDisposable disposable: await disposable.DisposeAsync(); break;
            case IDisposable disposable: disposable.Dispose(); break;
        }
        if (_postgres is not null) await _postgres.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
