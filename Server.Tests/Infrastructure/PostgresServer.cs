using Npgsql;
using Xunit;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>The tests' PostgreSQL cluster (<see cref="PostgresCluster"/>, fsync off: tests never crash the machine,
/// and a server killed with -9 loses nothing that way), one fresh database per test (<see cref="CreateDatabaseAsync"/>).</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgresCluster? _cluster;

    private PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");

    public int Port => Cluster.Port;

    /// <summary>A connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database) => Cluster.ConnectionString(database);

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(fsync: false);

    /// <summary>A new, empty database on the cluster; its name.</summary>
    public async Task<string> CreateDatabaseAsync() => await EnsureDatabaseAsync($"chathub_{Guid.NewGuid():N}");

    /// <summary>Creates <paramref name="name"/> unless it exists (a restart on the same database); returns the name.</summary>
    public async Task<string> EnsureDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
        }
        return name;
    }

    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

/// <summary>The tests that share one PostgreSQL cluster (each with databases of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
