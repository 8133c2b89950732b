using System.Data;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/> (its connection pool). A read runs on a pooled
/// connection in a REPEATABLE READ READ ONLY transaction (one snapshot). A write runs in a READ COMMITTED
/// transaction of its own; the writes of one store take turns on one lock held from BEGIN until their after-commit
/// actions have run, so those actions run in commit order. Several stores (nodes) on one database are kept apart
/// by row locks (FOR UPDATE) and by RecordChange's atomic UPDATE ... RETURNING. A write's task completes after its
/// COMMIT returned, i.e. durable with PostgreSQL's default synchronous_commit=on.</summary>
public sealed class PostgresChatStore : IChatStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresChatStore> _logger;
    private readonly SemaphoreSlim _writeTurn = new(1, 1);
    private readonly object _gate = new();
    private int _inFlight;
    private bool _disposed;
    private TaskCompletionSource? _drained;

    public PostgresChatStore(IOptions<PostgresOptions> options, ILogger<PostgresChatStore> logger)
    {
        _logger = logger;
        if (string.IsNullOrWhiteSpace(options.Value.ConnectionString))
            throw new InvalidOperationException("Storage:Postgres:ConnectionString is required when Storage:Provider is Postgres.");
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
        try
        {
            PostgresSchema.Migrate(_dataSource);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    public async Task<T> ReadAsync<T>(Func<IStoreReader, ValueTask<T>> query, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        var result = await query(new PostgresSession(connection, transaction, isWriter: false));
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_disposed) throw new ChatException(ErrorCodes.Unavailable, "the server is shutting down");
            _inFlight++;
        }
        try
        {
            await _writeTurn.WaitAsync(cancellationToken);
            try
            {
                return await RunAsync(command);
            }
            finally
            {
                _writeTurn.Release();
            }
        }
        finally
        {
            lock (_gate)
            {
                if (--_inFlight == 0) _drained?.TrySetResult();
            }
        }
    }

    private async Task<T> RunAsync<T>(Func<IStoreTransaction, ValueTask<T>> command)
    {
        PostgresSession session;
        T result;
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted))
        {
            session = new PostgresSession(connection, transaction, isWriter: true);
            // A command that throws (or breaks a constraint) ends here: disposing the transaction rolls it back.
            result = await command(session);
            try
            {
                await transaction.CommitAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                _logger.LogError(ex, "A write's commit failed");
                throw new ChatException(ErrorCodes.Unavailable, "the store could not commit; try again");
            }
        }
        foreach (var action in session.AfterCommitActions)
        {
            try { action(); }
            catch (Exception ex) { _logger.LogError(ex, "After-commit action failed"); }
        }
        return result;
    }

    /// <summary>Graceful shutdown: no new writes; the ones already handed over commit before the pool closes.</summary>
    public async ValueTask DisposeAsync()
    {
        Task drained;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight == 0) _drained.TrySetResult();
            drained = _drained.Task;
        }
        await drained;
        await _dataSource.DisposeAsync();
        _writeTurn.Dispose();
    }
}
