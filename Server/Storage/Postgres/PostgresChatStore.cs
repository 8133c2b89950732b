using System.Data;
using System.Threading.Channels;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/> (its connection pool). A read runs on a pooled
/// connection in a REPEATABLE READ READ ONLY transaction (one snapshot). Writes are group-committed as on SQLite:
/// one writer takes the queued commands, runs each in a savepoint of one READ COMMITTED transaction and commits
/// them together, so one WAL flush makes a whole batch durable (a commit per command would wait for a flush each);
/// callers complete and after-commit actions run, in commit order, after that COMMIT returned (durable with the
/// default synchronous_commit=on). Several stores (nodes) on one database are kept apart by row locks (FOR UPDATE)
/// and by RecordChange's atomic UPDATE ... RETURNING; a command that loses a deadlock to another node is rolled
/// back to its savepoint and runs again in the next batch.</summary>
public sealed class PostgresChatStore : IChatStore, IAsyncDisposable
{
    private const int MaxDeadlockRetries = 5;
    private readonly PostgresOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Observability.ChatMetrics? _metrics;
    private readonly ILogger<PostgresChatStore> _logger;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _writerLoop;
    private int _disposed;

    public PostgresChatStore(IOptions<PostgresOptions> options, ILogger<PostgresChatStore> logger, Observability.ChatMetrics? metrics = null)
    {
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        if (string.IsNullOrWhiteSpace(_options.ConnectionString))
            throw new InvalidOperationException("Storage:Postgres:ConnectionString is required when Storage:Provider is Postgres.");
        _dataSource = NpgsqlDataSource.Create(_options.ConnectionString);
        try
        {
            PostgresSchema.Migrate(_dataSource);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(_options.MaxQueuedCommands)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerLoop = Task.Run(WriterLoop);
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
        var pending = new PendingWrite(async session => await command(session));
        if (Volatile.Read(ref _disposed) == 1) throw ShuttingDown();
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw ShuttingDown();
        }
        return (T)(await pending.Done.Task)!;
    }

    private static ChatException ShuttingDown() => new(ErrorCodes.Unavailable, "the server is shutting down");

    private async Task WriterLoop()
    {
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        var retryNext = new List<PendingWrite>();
        while (true)
        {
            batch.Clear();
            batch.AddRange(retryNext);
            retryNext.Clear();
            if (batch.Count == 0 && !await _queue.Reader.WaitToReadAsync()) return;
            while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var next)) batch.Add(next);
            await CommitBatchAsync(batch, retryNext);
        }
    }

    private async Task CommitBatchAsync(List<PendingWrite> batch, List<PendingWrite> retryNext)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        PostgresSession session;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
            session = new PostgresSession(connection, transaction, isWriter: true);
            foreach (var write in batch)
            {
                if (!await RunInSavepointAsync(write, session, transaction)) retryNext.Add(write);
            }
            await transaction.CommitAsync();
        }
        catch (Exception ex)
        {
            // BEGIN or COMMIT failed (the database is gone, the disk is full): nothing of this batch is durable.
            _logger.LogError(ex, "Group commit of {Count} commands failed", batch.Count);
            foreach (var write in batch.Except(retryNext))
                write.Done.TrySetException(new ChatException(ErrorCodes.Unavailable, "the store could not commit; try again"));
            return;
        }

        _metrics?.Committed("postgres", System.Diagnostics.Stopwatch.GetElapsedTime(started), batch.Count);
        session.AfterCommitActions.RunAll(_logger);
        foreach (var write in batch)
        {
            if (retryNext.Contains(write)) continue;
            if (write.Failure is not null) write.Done.TrySetException(write.Failure);
            else write.Done.TrySetResult(write.Result);
        }
    }

    /// <summary>Runs one command in a savepoint: false when it lost a deadlock and should run again in the next
    /// batch (after this one released its locks), otherwise true with its result or failure recorded.</summary>
    private static async Task<bool> RunInSavepointAsync(PendingWrite write, PostgresSession session, NpgsqlTransaction transaction)
    {
        await transaction.SaveAsync("command");
        session.AfterCommitActions.BeginCommand();
        try
        {
            write.Result = await write.Command(session);
            await transaction.ReleaseAsync("command");
            return true;
        }
        catch (Exception ex)
        {
            await transaction.RollbackAsync("command");
            session.AfterCommitActions.DiscardCommand();
            if (ex is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }
                && ++write.Attempts <= MaxDeadlockRetries)
                return false;
            write.Failure = ex;
            return true;
        }
    }

    /// <summary>Graceful shutdown: no new writes; the ones already handed over commit before the pool closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        await _writerLoop;
        await _dataSource.DisposeAsync();
    }

    private sealed class PendingWrite(Func<IStoreTransaction, Task<object?>> command)
    {
        public Func<IStoreTransaction, Task<object?>> Command { get; } = command;
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public object? Result { get; set; }
        public Exception? Failure { get; set; }
        public int Attempts { get; set; }
    }
}
