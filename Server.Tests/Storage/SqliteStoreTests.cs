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
}
