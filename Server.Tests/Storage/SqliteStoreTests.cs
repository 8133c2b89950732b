using ChatHub.Server.Storage;
using ChatHub.Server.Storage.Sqlite;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The store conformance suite on SQLite: each test's database is a file in a fresh temp folder, opened
/// with the production settings (WAL, synchronous=FULL, group commit).</summary>
public sealed class SqliteStoreTests : StoreConformanceTests
{
    private sealed class SqliteLocation(string directory) : IStoreLocation
    {
        public string Path { get; } = System.IO.Path.Combine(directory, "chathub.db");

        public ValueTask DisposeAsync()
        {
            // Every store on it is closed by now; a file still held open (a failed test) is left for the OS.
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return ValueTask.CompletedTask;
        }
    }

    protected override Task<IStoreLocation> NewLocationAsync() =>
        Task.FromResult<IStoreLocation>(new SqliteLocation(TempDirectory.Create().Path));

    protected override Task<IChatStore> OpenAsync(IStoreLocation location) =>
        Task.FromResult<IChatStore>(new SqliteChatStore(
            Options.Create(new SqliteOptions { Path = ((SqliteLocation)location).Path }), NullLogger<SqliteChatStore>.Instance));

    protected override async Task<int> SchemaVersionAsync(IStoreLocation location)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = ((SqliteLocation)location).Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    protected override int LatestSchemaVersion => SqliteSchema.LatestVersion;

    protected override async Task StoreAttachmentBeforeSlicesAsync(IStoreLocation location, AttachmentRow row, byte[] data)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = ((SqliteLocation)location).Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        SqliteSchema.Migrate(connection, upTo: 6); // step 7 put files in slices
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO inboxes (id, identifier, name, hmac_token, created_at) VALUES (1, 'old', 'Old', 'hmac', 0);
            INSERT INTO contacts (id, inbox_id, source_id, pubsub_token, pubsub_token_hash, name, created_at) VALUES (1, 1, 'src', 'pst', 'psth', 'Old', 0);
            """;
        await command.ExecuteNonQueryAsync();
        command.CommandText = """
            INSERT INTO attachments (token, uploader_type, uploader_id, file_name, file_type, extension, content_type, file_size, created_at, data)
            VALUES (@token, @uploaderType, @uploaderId, @fileName, @fileType, @extension, @contentType, @fileSize, @createdAt, @data) RETURNING id;
            """;
        foreach (var (name, value) in new (string, object?)[] { ("@token", row.Token), ("@uploaderType", row.UploaderType), ("@uploaderId", row.UploaderId),
            ("@fileName", row.FileName), ("@fileType", row.FileType), ("@extension", row.Extension), ("@contentType", row.ContentType),
            ("@fileSize", row.FileSize), ("@createdAt", row.CreatedAt), ("@data", data) })
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        row.Id = (long)(await command.ExecuteScalarAsync())!;
    }

    protected override async Task UndoSearchIndexAsync(IStoreLocation location)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = ((SqliteLocation)location).Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_delete; DROP TRIGGER messages_fts_update; DROP TABLE messages_fts;
            PRAGMA user_version = {SqliteSchema.LatestVersion - 1};
            """;
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task StoreConversationsBeforeUnreadCountsAsync(IStoreLocation location,
        IReadOnlyList<(long? AgentLastSeenAt, OldMessage[] Messages)> conversations)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = ((SqliteLocation)location).Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        SqliteSchema.Migrate(connection, upTo: 7); // step 8 added the unread counts
        foreach (var (sql, args) in OldConversationsSql.Statements(conversations))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            await command.ExecuteNonQueryAsync();
        }
    }

    protected override async Task StoreConversationsBeforeReportsAsync(IStoreLocation location, IReadOnlyList<ReportOldConversation> conversations)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = ((SqliteLocation)location).Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        SqliteSchema.Migrate(connection, upTo: 17); // step 18 added reports' fields
        foreach (var (sql, args) in OldReportConversationsSql.Statements(conversations))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>A server on SQLite keeps its data in the file at the test's database path (Storage:Sqlite:Path, always set).</summary>
public sealed class SqliteTestStoreSettings : ITestStoreSettings
{
    public string Provider => "Sqlite";
    public Task<IReadOnlyDictionary<string, string>> SettingsAsync(string dbPath) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
}
