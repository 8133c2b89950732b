using System.Threading.Channels;
using ChatHub.Contracts;
using ChatHub.Server.Common;

namespace ChatHub.Server.Storage;

/// <summary>What an engine does for one group commit: a transaction for the batch in which each command runs on its
/// own (a savepoint, or a transaction of its own on LiteDB), then one durable commit of the whole batch.</summary>
internal interface IWriteBatch : IAsyncDisposable
{
    /// <summary>What the batch's commands run on; its AfterCommit adds to the batch's <see cref="AfterCommitActions"/>.</summary>
    IStoreTransaction Session { get; }
    ValueTask BeginCommandAsync();
    /// <summary>The command succeeded: its changes join the batch.</summary>
    ValueTask EndCommandAsync();
    /// <summary>The command failed: its changes are undone, the batch's others stay.</summary>
    ValueTask UndoCommandAsync();
    /// <summary>Makes the batch durable (a COMMIT that waits for its flush, or an fsync): only then does anyone hear of it.</summary>
    ValueTask CommitAsync();
    /// <summary>Whether a command that failed with <paramref name="error"/> may run again in the next batch (it lost a
    /// deadlock to another node): an embedded engine never.</summary>
    bool MayRetry(Exception error);
}

/// <summary>An engine's writer: starts a batch whose commands register their after-commit actions in <paramref name="afterCommit"/>.</summary>
internal delegate ValueTask<IWriteBatch> BeginBatch(AfterCommitActions afterCommit);

/// <summary>The one group-commit loop of every engine. Callers queue commands; the loop takes what is queued, up to a
/// batch, runs each command on its own inside the engine's batch (a failing one rolls back alone, its after-commit
/// actions with it), commits the batch once, and only then runs the after-commit actions, in commit order, and
/// completes the callers. A command that lost a deadlock runs again in the next batch, after this one released its
/// locks. Disposing completes the queue: what was queued commits. One instance is one writer (a lane); nothing here
/// assumes it is the only one.</summary>
internal sealed class GroupCommit
{
    private const int MaxRetries = 5;
    private readonly Channel<PendingWrite> _queue;
    private readonly string _engine;
    private readonly int _maxBatchSize;
    private readonly BeginBatch _beginBatch;
    private readonly Action? _afterBatch;
    private readonly ILogger _logger;
    private readonly Observability.ChatMetrics? _metrics;
    private Task _loop = Task.CompletedTask;

    private GroupCommit(string engine, int capacity, int maxBatchSize, BeginBatch beginBatch, Action? afterBatch, ILogger logger,
        Observability.ChatMetrics? metrics)
    {
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        (_engine, _maxBatchSize, _beginBatch, _afterBatch, _logger, _metrics) = (engine, maxBatchSize, beginBatch, afterBatch, logger, metrics);
    }

    /// <summary>For a server database: the loop awaits the network on the thread pool.</summary>
    public static GroupCommit Start(string engine, int capacity, int maxBatchSize, BeginBatch beginBatch, ILogger logger,
        Observability.ChatMetrics? metrics)
    {
        var writer = new GroupCommit(engine, capacity, maxBatchSize, beginBatch, null, logger, metrics);
        writer._loop = Task.Run(writer.RunAsync);
        return writer;
    }

    /// <summary>For an embedded engine: the loop runs on a thread of its own and stays on it (<see cref="ThreadPump"/>),
    /// since its commands and fsyncs block. <paramref name="afterBatch"/> runs after each batch's callers are completed.</summary>
    public static GroupCommit StartOnOwnThread(string engine, int capacity, int maxBatchSize, BeginBatch beginBatch, Action? afterBatch,
        ILogger logger, Observability.ChatMetrics? metrics)
    {
        var writer = new GroupCommit(engine, capacity, maxBatchSize, beginBatch, afterBatch, logger, metrics);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                ThreadPump.Run(async () => { await writer.RunAsync(); return 0; });
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }) { IsBackground = true, Name = $"{engine} writer" }.Start();
        writer._loop = done.Task;
        return writer;
    }

    /// <summary>Queues <paramref name="command"/> and waits for its batch to commit (its result or its exception).</summary>
    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(async session => await command(session));
        if (!_queue.Writer.TryWrite(pending))
        {
            try
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken);
            }
            catch (ChannelClosedException)
            {
                throw new ChatException(ErrorCodes.Unavailable, "the server is shutting down");
            }
        }
        return (T)(await pending.Done.Task)!;
    }

    /// <summary>No new commands; completes once the queued ones are committed.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(_maxBatchSize);
        var retryNext = new List<PendingWrite>();
        while (true)
        {
            batch.Clear();
            batch.AddRange(retryNext);
            retryNext.Clear();
            if (batch.Count == 0 && !await _queue.Reader.WaitToReadAsync()) return;
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var next)) batch.Add(next);
            await CommitAsync(batch, retryNext);
            _afterBatch?.Invoke();
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch, List<PendingWrite> retryNext)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var afterCommit = new AfterCommitActions();
        IWriteBatch? transaction = null;
        try
        {
            transaction = await _beginBatch(afterCommit);
            foreach (var write in batch)
            {
                await transaction.BeginCommandAsync();
                afterCommit.BeginCommand();
                try
                {
                    write.Result = await write.Command(transaction.Session);
                    await transaction.EndCommandAsync();
                }
                catch (Exception ex)
                {
                    await transaction.UndoCommandAsync();
                    afterCommit.DiscardCommand();
                    if (transaction.MayRetry(ex) && ++write.Attempts <= MaxRetries) retryNext.Add(write);
                    else write.Failure = ex;
                }
            }
            await transaction.CommitAsync();
        }
        catch (Exception ex)
        {
            // BEGIN, an undo or the commit itself failed (the disk is full, the database is gone): nothing of this batch
            // is known to be durable, so nobody is told it was stored.
            _logger.LogError(ex, "Group commit of {Count} commands failed", batch.Count);
            foreach (var write in batch.Except(retryNext))
                write.Done.TrySetException(new ChatException(ErrorCodes.Unavailable, "the store could not commit; try again"));
            return;
        }
        finally
        {
            if (transaction is not null) await transaction.DisposeAsync();
        }

        _metrics?.Committed(_engine, System.Diagnostics.Stopwatch.GetElapsedTime(started), batch.Count);
        // What the commit sets off (event publishing, the callers) continues on the thread pool, never on an embedded
        // writer's own thread, whose context is the loop's alone.
        var loopContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            afterCommit.RunAll(_logger);
            foreach (var write in batch)
            {
                if (retryNext.Contains(write)) continue;
                if (write.Failure is not null) write.Done.TrySetException(write.Failure);
                else write.Done.TrySetResult(write.Result);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(loopContext);
        }
    }

    private sealed class PendingWrite(Func<IStoreTransaction, ValueTask<object?>> command)
    {
        public Func<IStoreTransaction, ValueTask<object?>> Command { get; } = command;
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public object? Result { get; set; }
        public Exception? Failure { get; set; }
        public int Attempts { get; set; }
    }
}
