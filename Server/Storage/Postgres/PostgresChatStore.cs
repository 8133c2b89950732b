using System.Collections.Concurrent;
using System.Data;
using ChatHub.Server.Storage.Sql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/> (its connection pool; statements prepared once per
/// connection by Npgsql's auto-prepare) and the SQL layer (<see cref="SqlSession"/>, <see cref="PostgresDialect"/>).
/// A read runs on a pooled connection in a REPEATABLE READ READ ONLY transaction (one snapshot): its BEGIN and SET go
/// with its first statement, and its COMMIT after the answer (a read-only snapshot has nothing to make durable).
/// Writes are group-committed (<see cref="GroupCommit"/>) by several writers (<see cref="WriterLanes"/>, a contact's
/// writes all in one): each command in a savepoint of one READ COMMITTED transaction, committed together, so one WAL
/// flush makes a whole batch durable; callers complete and after-commit actions run, in commit order, after that COMMIT
/// returned (durable with the default synchronous_commit=on). Writers of this node and of other nodes on the database
/// are kept apart by row locks (FOR UPDATE) and by RecordChange's atomic UPDATE ... RETURNING; a command that loses a
/// deadlock is rolled back to its savepoint and runs again in the next batch.</summary>
public sealed class PostgresChatStore : IChatStore, IAsyncDisposable
{
    /// <summary>Statements Npgsql prepares per connection, unless the connection string says otherwise: more than the
    /// SQL layer has (a statement is prepared on its 5th use, the least used is dropped past this).</summary>
    private const int AutoPrepared = 200;
    private const string ReadOnly = "SET TRANSACTION READ ONLY";
    private readonly NpgsqlDataSource _dataSource;
    private readonly WriterLanes _lanes;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Task, bool> _readsEnding = new();
    private int _disposed;

    public PostgresChatStore(IOptions<PostgresOptions> options, ILogger<PostgresChatStore> logger, Observability.ChatMetrics? metrics = null)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            throw new InvalidOperationException("Storage:Postgres:ConnectionString is required when Storage:Provider is Postgres.");
        _logger = logger;
        _dataSource = Open(settings.ConnectionString);
        try
        {
            PostgresSchema.Migrate(_dataSource);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
        var count = Math.Clamp(settings.WriterLanes, PostgresOptions.MinWriterLanes, PostgresOptions.MaxWriterLanes);
        var capacity = Math.Max(1, (settings.MaxQueuedCommands + count - 1) / count);
        var lanes = Enumerable.Range(0, count)
            .Select(_ => GroupCommit.Start(PostgresDialect.Instance.Name, capacity, settings.MaxBatchSize, BeginBatchAsync, logger, metrics))
            .ToArray();
        _lanes = new WriterLanes(lanes, conversationId => ReadAsync(async r => (await r.GetConversationAsync(conversationId))?.ContactId));
    }

    /// <summary>The pool, with statements prepared and connections not reset on their return to it (nothing here
    /// leaves session state on one; a reset would cost the next use a statement), unless the connection string sets these.</summary>
    private static NpgsqlDataSource Open(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The keys the connection string names (Npgsql's own builder answers ContainsKey for every key it knows).
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        if (!named.Contains("maxautoprepare")) builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPrepared;
        if (!named.Contains("noresetonclose")) builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }

    public async Task<T> ReadAsync<T>(Func<IStoreReader, ValueTask<T>> query, CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var result = await query(new SqlSession(PostgresDialect.Statements, new PostgresConnection(connection, transaction, ReadOnly), afterCommit: null));
            EndRead(connection, transaction);
            return result;
        }
        catch
        {
            if (transaction is not null) await transaction.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends a read's snapshot after its answer has gone: COMMIT, and the connection back to the pool.</summary>
    private void EndRead(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var ending = EndReadAsync(connection, transaction);
        if (ending.IsCompleted) return;
        _readsEnding.TryAdd(ending, true);
        ending.ContinueWith(t => _readsEnding.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task EndReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.CommitAsync();
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "A read's snapshot did not end cleanly; its connection is closed");
        }
        finally
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    public Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default) =>
        WriteAsync(WriteOrder.None, command, cancellationToken);

    /// <summary>In the lane of <paramref name="order"/>; the command's statements pipelined (<see cref="ISqlPipeline"/>).</summary>
    public async Task<T> WriteAsync<T>(WriteOrder order, Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default) =>
        await (await _lanes.ForAsync(order)).WriteAsync(session => ((SqlSession)session).PipelinedAsync(() => command(session)), cancellationToken);

    private async ValueTask<IWriteBatch> BeginBatchAsync(AfterCommitActions afterCommit)
    {
        var connection = await _dataSource.OpenConnectionAsync();
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
            var sql = new PostgresConnection(connection, transaction);
            return new WriteBatch(connection, transaction, sql, new SqlSession(PostgresDialect.Statements, sql, afterCommit, keepsWebhooks: true));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>One batch in one READ COMMITTED transaction of a pooled connection; a command in a savepoint.</summary>
    private sealed class WriteBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresConnection sql, SqlSession session) : IWriteBatch
    {
        public IStoreTransaction Session => session;

        public ValueTask BeginCommandAsync()
        {
            sql.BeginCommand();
            return ValueTask.CompletedTask;
        }

        public ValueTask EndCommandAsync() => ValueTask.CompletedTask;
        public ValueTask UndoCommandAsync()
        {
            session.ForgetKept();
            return sql.UndoCommandAsync();
        }

        public async ValueTask CommitAsync()
        {
            sql.EndBatch();
            await transaction.CommitAsync();
        }

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
        await Task.WhenAll(_lanes.All.Select(lane => lane.CompleteAsync()));
        await Task.WhenAll(_readsEnding.Keys);
        await _dataSource.DisposeAsync();
    }
}
