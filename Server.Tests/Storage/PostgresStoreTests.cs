using ChatHub.Contracts;
using ChatHub.Server.Storage;
using ChatHub.Server.Storage.Postgres;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The store conformance suite on PostgreSQL: each test's database is a fresh one (CREATE DATABASE) on the
/// collection's own cluster (<see cref="PostgresServer"/>), dropped after the test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : StoreConformanceTests
{
    private sealed class PostgresLocation(PostgresServer server, string database) : IStoreLocation
    {
        public string ConnectionString { get; } = server.ConnectionString(database);

        public async ValueTask DisposeAsync() => await server.DropDatabaseAsync(database);
    }

    protected override async Task<IStoreLocation> NewLocationAsync() =>
        new PostgresLocation(server, await server.CreateDatabaseAsync());

    // The constructor migrates synchronously (as at a server's start): off the caller's thread, so that stores
    // opened at once really race on the migration.
    protected override Task<IChatStore> OpenAsync(IStoreLocation location) =>
        Task.Run<IChatStore>(() => new PostgresChatStore(
            Options.Create(new PostgresOptions { ConnectionString = ((PostgresLocation)location).ConnectionString }),
            NullLogger<PostgresChatStore>.Instance));

    protected override async Task<int> SchemaVersionAsync(IStoreLocation location)
    {
        await using var connection = new NpgsqlConnection(((PostgresLocation)location).ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_version", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    protected override int LatestSchemaVersion => PostgresSchema.LatestVersion;

    /// <summary>A write command's statements go out as it waits for them (pipelined): one it started but never waited
    /// for still runs, and when it fails the command fails with it and is undone; the batch's other commands stay.</summary>
    [Fact]
    public async Task A_statement_a_command_never_waited_for_fails_the_command_when_it_fails_and_the_others_commit()
    {
        const int n = 30;
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);

        var writes = Race<MessageRow>(n, i => store.WriteAsync(WriteOrder.OfContact(scene.ContactId), async w =>
        {
            var message = await AppendToAsync(w, (await w.GetConversationForUpdateAsync(scene.ConversationId))!, $"message {i}");
            // Started, never awaited: a message of a conversation that does not exist (a foreign key violation).
            if (i % 3 == 0) _ = w.InsertMessageAsync(new MessageRow { ConversationId = -1, Seq = 1, MessageType = MessageTypes.Incoming, Content = "x" });
            return message;
        }));
        await Task.WhenAll(writes.Select(w => w.ContinueWith(_ => { })));

        for (var i = 0; i < n; i++)
        {
            if (i % 3 == 0) Assert.IsType<PostgresException>(writes[i].Exception?.InnerException);
            else Assert.True(writes[i].IsCompletedSuccessfully, $"write {i}: {writes[i].Exception}");
        }
        var committed = writes.Where(w => w.IsCompletedSuccessfully).Select(w => w.Result).ToList();
        var stored = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 100, false)));
        Assert.Equal(Seqs(1, committed.Count), stored.Select(m => m.Seq));
        Assert.Equal(committed.Select(m => m.Id).Order(), stored.Select(m => m.Id).Order());
    }

    protected override async Task StoreAttachmentBeforeSlicesAsync(IStoreLocation location, AttachmentRow row, byte[] data)
    {
        var connectionString = ((PostgresLocation)location).ConnectionString + ";Pooling=false";
        await using (var dataSource = NpgsqlDataSource.Create(connectionString)) PostgresSchema.Migrate(dataSource, upTo: 6); // step 7 put files in slices
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var seed = new NpgsqlCommand("""
            INSERT INTO inboxes (id, identifier, name, hmac_token, created_at) VALUES (1, 'old', 'Old', 'hmac', 0);
            INSERT INTO contacts (id, inbox_id, source_id, pubsub_token, pubsub_token_hash, name, created_at) VALUES (1, 1, 'src', 'pst', 'psth', 'Old', 0);
            """, connection))
            await seed.ExecuteNonQueryAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO attachments (token, uploader_type, uploader_id, file_name, file_type, extension, content_type, file_size, created_at, data)
            VALUES (@token, @uploaderType, @uploaderId, @fileName, @fileType, @extension, @contentType, @fileSize, @createdAt, @data) RETURNING id
            """, connection);
        foreach (var (name, value) in new (string, object?)[] { ("token", row.Token), ("uploaderType", row.UploaderType), ("uploaderId", row.UploaderId),
            ("fileName", row.FileName), ("fileType", row.FileType), ("extension", row.Extension), ("contentType", row.ContentType),
            ("fileSize", row.FileSize), ("createdAt", row.CreatedAt), ("data", data) })
            insert.Parameters.AddWithValue(name, value ?? DBNull.Value);
        row.Id = (long)(await insert.ExecuteScalarAsync())!;
    }

    protected override async Task UndoSearchIndexAsync(IStoreLocation location)
    {
        await using var connection = new NpgsqlConnection(((PostgresLocation)location).ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"DROP INDEX ix_messages_search; UPDATE schema_version SET version = {PostgresSchema.LatestVersion - 1}", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task StoreConversationsBeforeUnreadCountsAsync(IStoreLocation location,
        IReadOnlyList<(long? AgentLastSeenAt, OldMessage[] Messages)> conversations)
    {
        var connectionString = ((PostgresLocation)location).ConnectionString + ";Pooling=false";
        await using (var dataSource = NpgsqlDataSource.Create(connectionString)) PostgresSchema.Migrate(dataSource, upTo: 7); // step 8 added the unread counts
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (sql, args) in OldConversationsSql.Statements(conversations))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var (name, value) in args) command.Parameters.AddWithValue(name.TrimStart('@'), value ?? DBNull.Value);
            await command.ExecuteNonQueryAsync();
        }
    }

    protected override async Task StoreConversationsBeforeReportsAsync(IStoreLocation location, IReadOnlyList<ReportOldConversation> conversations)
    {
        var connectionString = ((PostgresLocation)location).ConnectionString + ";Pooling=false";
        await using (var dataSource = NpgsqlDataSource.Create(connectionString)) PostgresSchema.Migrate(dataSource, upTo: 17); // step 18 added reports' fields
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (sql, args) in OldReportConversationsSql.Statements(conversations))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var (name, value) in args) command.Parameters.AddWithValue(name.TrimStart('@'), value ?? DBNull.Value);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>A server on PostgreSQL keeps its data in a database named after the test's database path, on one cluster
/// the test process shares (started on first use, stopped when the process exits).</summary>
public sealed class PostgresTestStoreSettings : ITestStoreSettings
{
    public string Provider => "Postgres";

    public async Task<IReadOnlyDictionary<string, string>> SettingsAsync(string dbPath)
    {
        var cluster = await SharedCluster.Value;
        return new Dictionary<string, string>
        {
            ["Storage:Postgres:ConnectionString"] = cluster.ConnectionString(await cluster.EnsureDatabaseAsync(TestStore.DatabaseNameOf(dbPath))),
        };
    }

    private static readonly Lazy<Task<PostgresServer>> SharedCluster = new(async () =>
    {
        var cluster = new PostgresServer();
        await cluster.InitializeAsync();
        // xunit 2 has no assembly fixture: the cluster lives as long as the test process.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().GetAwaiter().GetResult();
        return cluster;
    });
}
