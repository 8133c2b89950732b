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
}
