using System.Data;
using ChatHub.Server.Storage.Sql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/> (its connection pool) and the SQL layer
/// (<see cref="SqlSession"/>, <see cref="PostgresDialect"/>). A read runs on a pooled connection in a REPEATABLE READ
/// READ ONLY transaction (one snapshot). Writes are group-committed (<see cref="GroupCommit"/>): each command in a
/// savepoint of one READ COMMITTED transaction, committed together, so one WAL flush makes a whole batch durable;
/// callers complete and after-commit actions run, in commit order, after that COMMIT returned (durable with the
/// default synchronous_commit=on). Several stores (nodes) on one database are kept apart by row locks (FOR UPDATE)
/// and by RecordChange's atomic UPDATE ... RETURNING; a command that loses a deadlock to another node is rolled
/// back to its savepoint and runs again in the next batch.</summary>
public sealed class PostgresChatStore : IChatStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit _writer;
    private int _disposed;

    public PostgresChatStore(IOptions<PostgresOptions> options, ILogger<PostgresChatStore> logger, Observability.ChatMetrics? metrics = null)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            throw new InvalidOperationException("Storage:Postgres:ConnectionString is required when Storage:Provider is Postgres.");
        _dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        try
        {
            PostgresSchema.Migrate(_dataSource);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
        _writer = GroupCommit.Start(PostgresDialect.Instance.Name, settings.MaxQueuedCommands, settings.MaxBatchSize, BeginBatchAsync, logger, metrics);
    }

    public async Task<T> ReadAsync<T>(Func<IStoreReader, ValueTask<T>> query, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        var result = await query(new SqlSession(PostgresDialect.Statements, new PostgresConnection(connection, transaction), afterCommit: null));
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(command, cancellationToken);

    private async ValueTask<IWriteBatch> BeginBatchAsync(AfterCommitActions afterCommit)
    {
        var connection = await _dataSource.OpenConnectionAsync();
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
            var sql = new PostgresConnection(connection, transaction);
            return new WriteBatch(connection, transaction, new SqlSession(PostgresDialect.Statements, sql, afterCommit));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>One batch in one READ COMMITTED transaction of a pooled connection; a command in a savepoint.</summary>
    private sealed class WriteBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlSession session) : IWriteBatch
    {
        public IStoreTransaction Session => session;
        public async ValueTask BeginCommandAsync() => await transaction.SaveAsync("command");
        public async ValueTask EndCommandAsync() => await transaction.ReleaseAsync("command");
        public async ValueTask UndoCommandAsync() => await transaction.RollbackAsync("command");
        public async ValueTask CommitAsync() => await transaction.CommitAsync();
        public bool MayRetry(Exception error) => PostgresDialect.Instance.MayRetry(error);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Graceful shutdown: no new writes; the ones already handed over commit before the pool closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _writer.CompleteAsync();
        await _dataSource.DisposeAsync();
    }
}
