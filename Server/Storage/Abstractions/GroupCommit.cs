using System.Threading.Tasks.Sources;
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
    /// deadlock to another node, or waited too long for another node's lock): an embedded engine never.</summary>
    bool MayRetry(Exception error);
}

/// <summary>An engine's writer: starts a batch whose commands register their after-commit actions in <paramref name="afterCommit"/>.</summary>
internal delegate ValueTask<IWriteBatch> BeginBatch(AfterCommitActions afterCommit);

/// <summary>The one group-commit loop of every engine. Callers queue commands; a batch takes what is queued, up to
/// <c>maxBatchSize</c>, runs each command on its own inside the engine's batch (a failing one rolls back alone, its
/// after-commit actions with it), commits the batch once, and only then runs the after-commit actions, in commit
/// order, and completes the callers. A command that lost a deadlock (or a bounded lock wait) runs again in the next batch, after this one
/// released its locks. Completing the writer (<see cref="CompleteAsync"/>) refuses new commands; what was queued commits.
///
/// <para>Flat combining, not a writer thread: the caller that finds the writer idle runs the batch itself, on its own
/// thread, and gets its answer without a thread switch; callers that come while a batch runs queue behind it. When the
/// batch has committed and its after-commit actions ran, the first caller waiting is woken to run the next batch
/// (everything queued by then, its own command first), and meanwhile the thread that ran this batch answers its
/// callers: their continuations run there, one after the other. So a durable command costs one wake-up at most per
/// batch, not a writer thread's and then each caller's; batches still grow with the load, since everything that
/// arrives during one commit goes into the next. One batch runs at a time, and the next starts only after the previous
/// one's after-commit actions ran: events are published in commit order, each batch's before its callers resume.</para>
///
/// <para>A caller whose thread is inside an embedded engine's own work (a <see cref="ThreadPump"/>: a LiteDB read whose
/// query writes) does not run a batch there: it hands it to the thread pool.</para>
///
/// <para>One instance is one writer (a lane); nothing here assumes it is the only one.</para></summary>
internal sealed class GroupCommit
{
    private const int MaxRetries = 5;
    private readonly string _engine;
    private readonly int _capacity;
    private readonly int _maxBatchSize;
    private readonly BeginBatch _beginBatch;
    private readonly Action? _afterBatch;
    private readonly bool _blocking;
    private readonly ILogger _logger;
    private readonly Observability.ChatMetrics? _metrics;
    // What a batch runs under: the context of the writer's creation, not that of whichever caller runs the batch
    // (its activity or logging scope is not the other commands').
    private readonly ExecutionContext? _batchContext = ExecutionContext.Capture();

    private readonly Lock _lock = new();
    // Under _lock: the queued commands (a retried one goes back to the front); whether a batch is running or the
    // next one has been handed to a waiting caller (then the queue is not empty); callers waiting for room in the queue.
    private List<PendingWrite> _queue = [];
    private bool _combining;
    private bool _completed;
    private TaskCompletionSource? _roomFreed;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GroupCommit(string engine, int capacity, int maxBatchSize, BeginBatch beginBatch, Action? afterBatch, bool blocking,
        ILogger logger, Observability.ChatMetrics? metrics)
    {
        (_engine, _capacity, _maxBatchSize, _beginBatch, _afterBatch, _blocking, _logger, _metrics) =
            (engine, Math.Max(1, capacity), Math.Max(1, maxBatchSize), beginBatch, afterBatch, blocking, logger, metrics);
    }

    /// <summary>For a server database: a batch awaits the network, and the caller running it continues wherever its awaits do.</summary>
    public static GroupCommit Start(string engine, int capacity, int maxBatchSize, BeginBatch beginBatch, ILogger logger,
        Observability.ChatMetrics? metrics) =>
        new(engine, capacity, maxBatchSize, beginBatch, null, blocking: false, logger, metrics);

    /// <summary>For an embedded engine, whose commands and fsync block: the caller running a batch runs it to its end on
    /// its own thread (<see cref="ThreadPump"/>: whatever the batch awaits comes back to that thread, as LiteDB's
    /// transactions need). <paramref name="afterBatch"/> runs after each batch, on that thread, before its callers are answered.</summary>
    public static GroupCommit StartBlocking(string engine, int capacity, int maxBatchSize, BeginBatch beginBatch, Action? afterBatch,
        ILogger logger, Observability.ChatMetrics? metrics) =>
        new(engine, capacity, maxBatchSize, beginBatch, afterBatch, blocking: true, logger, metrics);

    /// <summary>Queues <paramref name="command"/> and waits for its batch to commit (its result or its exception); runs
    /// that batch itself when no other is running.</summary>
    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite<T>(command);
        var combine = await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            if (combine)
            {
                // Ours is first in the queue: the batch takes it, and this runs batches until it is answered.
                pending.Reset();
                if (!_blocking) await CombineAsync(pending).ConfigureAwait(false);
                // This thread is inside an engine's own work already (a LiteDB read, whose query writes, holds LiteDB's
                // transaction of this thread): the batch runs on the thread pool instead, where none is open.
                else if (SynchronizationContext.Current is ThreadPump)
                    ThreadPool.UnsafeQueueUserWorkItem(static s => s.Writer.CombineBlocking(s.Pending), (Writer: this, Pending: pending), preferLocal: false);
                else CombineBlocking(pending);
            }
            // Answered, or woken to run the next batch (ours is still queued then, first).
            combine = await pending.WaitAsync().ConfigureAwait(false);
            if (!combine)
            {
                // The command's own exception, with the stack it was thrown with.
                if (pending.Failure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                return pending.Result;
            }
        }
    }

    /// <summary>No new commands; completes once the queued ones are committed.</summary>
    public Task CompleteAsync()
    {
        lock (_lock)
        {
            _completed = true;
            _roomFreed?.TrySetResult(); // whoever waits for room is refused now
            if (!_combining) _drained.TrySetResult();
            return _drained.Task;
        }
    }

    /// <summary>Queues <paramref name="pending"/>, waiting while the queue is full; true when the writer was idle and
    /// the caller is to run the batch.</summary>
    private async ValueTask<bool> EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task roomFreed;
            lock (_lock)
            {
                if (_completed) throw new ChatException(ErrorCodes.Unavailable, "the server is shutting down");
                if (_queue.Count < _capacity)
                {
                    _queue.Add(pending);
                    if (_combining) return false;
                    _combining = true;
                    return true;
                }
                roomFreed = (_roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await roomFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs batches, each to its end on this thread, until <paramref name="own"/> is answered.</summary>
    private void CombineBlocking(PendingWrite own)
    {
        bool done;
        do
        {
            var batch = TakeBatch();
            try
            {
                RunUnderBatchContext(() => ThreadPump.Run(async () =>
                {
                    await CommitBatchAsync(batch);
                    return 0;
                }));
            }
            catch (Exception ex)
            {
                FailBroken(batch, ex);
            }
            done = Finish(batch, own);
        }
        while (!done);
    }

    private async Task CombineAsync(PendingWrite own)
    {
        bool done;
        do
        {
            var batch = TakeBatch();
            try
            {
                Task committing = null!;
                RunUnderBatchContext(() => committing = CommitBatchAsync(batch));
                await committing.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                FailBroken(batch, ex);
            }
            done = Finish(batch, own);
        }
        while (!done);
    }

    /// <summary>A batch that broke outside what <see cref="CommitBatchAsync"/> handles (a defect): its callers hear of a
    /// failure rather than wait for ever, and the writer goes on with the next batch.</summary>
    private void FailBroken(List<PendingWrite> batch, Exception error)
    {
        _logger.LogError(error, "Group commit of {Count} commands broke", batch.Count);
        foreach (var write in batch)
        {
            if (write.State == PendingState.Retry) continue;
            write.Failure = new ChatException(ErrorCodes.Unavailable, "the store could not commit; try again");
        }
    }

    private void RunUnderBatchContext(Action run)
    {
        if (_batchContext is null) run();
        else ExecutionContext.Run(_batchContext, static state => ((Action)state!)(), run);
    }

    /// <summary>Up to a batch from the front of the queue (the queue is not empty while a caller combines).</summary>
    private List<PendingWrite> TakeBatch()
    {
        lock (_lock)
        {
            List<PendingWrite> batch;
            if (_queue.Count <= _maxBatchSize)
            {
                (batch, _queue) = (_queue, new List<PendingWrite>(Math.Min(_queue.Count * 2, _maxBatchSize)));
            }
            else
            {
                batch = _queue.GetRange(0, _maxBatchSize);
                _queue.RemoveRange(0, _maxBatchSize);
            }
            if (_roomFreed is { } roomFreed)
            {
                _roomFreed = null;
                roomFreed.TrySetResult();
            }
            return batch;
        }
    }

    /// <summary>After a batch has committed and run its after-commit actions: hands the next batch on, then answers this
    /// one's callers, so that the next commit need not wait for them. Returns whether this caller is done combining (its
    /// own command answered, or nothing queued); otherwise it runs the next batch itself (its command is to run again).</summary>
    private bool Finish(List<PendingWrite> batch, PendingWrite own)
    {
        AfterBatchHook();
        PendingWrite? next = null;
        bool done;
        lock (_lock)
        {
            // Retried commands go back to the front of the queue, in their order; the batch keeps those to answer.
            var retried = 0;
            foreach (var write in batch)
            {
                if (write.State == PendingState.Retry) _queue.Insert(retried++, write);
            }
            if (retried > 0) batch.RemoveAll(write => write.State == PendingState.Retry);
            done = own.State != PendingState.Retry;
            if (_queue.Count == 0)
            {
                _combining = false;
                if (_completed) _drained.TrySetResult();
                done = true;
            }
            else if (done)
            {
                next = _queue[0];
            }
        }
        // The first caller waiting runs the next batch (woken on the thread pool, its own command first) while this
        // thread answers the callers of this one. Their continuations run here, one after the other, without the
        // synchronization context of whoever runs this batch: one thread switch saved per command.
        next?.HandOver();
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            foreach (var write in batch) write.Answer();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
        return done;
    }

    /// <summary>One batch: its commands, the commit, then the after-commit actions in commit order. Never throws: a
    /// failure is the callers' (<see cref="PendingWrite.Failure"/>); a command that may run again is marked so.</summary>
    private async Task CommitBatchAsync(List<PendingWrite> batch)
    {
        foreach (var write in batch) write.State = PendingState.Running;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var afterCommit = new AfterCommitActions();
        IWriteBatch? transaction = null;
        try
        {
            transaction = await _beginBatch(afterCommit);
            var first = true;
            foreach (var write in batch)
            {
                await transaction.BeginCommandAsync();
                afterCommit.BeginCommand();
                try
                {
                    await write.RunAsync(transaction.Session);
                    await transaction.EndCommandAsync();
                }
                catch (Exception ex)
                {
                    await transaction.UndoCommandAsync();
                    afterCommit.DiscardCommand();
                    // Only a batch's first command counts its attempts: one behind others may have lost to locks that
                    // they made it hold (PostgreSQL's bounded lock wait), and it comes first after at most as many batches
                    // as there are retried commands ahead of it, each of which counts.
                    if (transaction.MayRetry(ex) && (!first || ++write.Attempts <= MaxRetries)) write.State = PendingState.Retry;
                    else write.Failure = ex;
                }
                first = false;
            }
            await transaction.CommitAsync();
        }
        catch (Exception ex)
        {
            // BEGIN, an undo or the commit itself failed (the disk is full, the database is gone): nothing of this batch
            // is known to be durable, so nobody is told it was stored.
            _logger.LogError(ex, "Group commit of {Count} commands failed", batch.Count);
            foreach (var write in batch)
            {
                // One exception per caller: each throws its own.
                if (write.State != PendingState.Retry) write.Failure = new ChatException(ErrorCodes.Unavailable, "the store could not commit; try again");
            }
            await DisposeQuietlyAsync(transaction);
            return;
        }
        await DisposeQuietlyAsync(transaction);

        _metrics?.Committed(_engine, System.Diagnostics.Stopwatch.GetElapsedTime(started), batch.Count);
        // What the commit sets off (event publishing) runs without the embedded batch's synchronization context, which
        // is the batch's alone. The callers are answered after these, once the batch is over (Finish).
        var batchContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            afterCommit.RunAll(_logger);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(batchContext);
        }
    }

    private async ValueTask DisposeQuietlyAsync(IWriteBatch? transaction)
    {
        if (transaction is null) return;
        try { await transaction.DisposeAsync(); }
        catch (Exception ex) { _logger.LogError(ex, "Ending a group commit's transaction failed"); }
    }

    private void AfterBatchHook()
    {
        try { _afterBatch?.Invoke(); }
        catch (Exception ex) { _logger.LogError(ex, "After-batch work failed"); }
    }

    private enum PendingState { Queued, Running, Retry, Answered }

    /// <summary>A queued command and its caller's wait, which ends with its answer (the caller's continuation runs on
    /// the answering thread) or with the turn to run a batch (<see cref="HandOver"/>: on the thread pool, since the
    /// thread handing it over goes on answering its own batch).</summary>
    private abstract class PendingWrite : IValueTaskSource<bool>
    {
        private ManualResetValueTaskSourceCore<bool> _signal;
        public PendingState State { get; set; }
        public Exception? Failure { get; set; }
        public int Attempts { get; set; }

        public abstract ValueTask RunAsync(IStoreTransaction session);

        /// <summary>True: the caller is to run the next batch.</summary>
        public ValueTask<bool> WaitAsync() => new(this, _signal.Version);

        public void Answer()
        {
            State = PendingState.Answered;
            _signal.SetResult(false);
        }

        public void HandOver()
        {
            _signal.RunContinuationsAsynchronously = true;
            _signal.SetResult(true);
        }

        /// <summary>Before the caller runs a batch: ready for its answer.</summary>
        public void Reset()
        {
            if (_signal.GetStatus(_signal.Version) != ValueTaskSourceStatus.Pending) _signal.Reset();
            _signal.RunContinuationsAsynchronously = false;
        }

        public bool GetResult(short token) => _signal.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _signal.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _signal.OnCompleted(continuation, state, token, flags);
    }

    private sealed class PendingWrite<T>(Func<IStoreTransaction, ValueTask<T>> command) : PendingWrite
    {
        public T Result { get; private set; } = default!;

        public override async ValueTask RunAsync(IStoreTransaction session) => Result = await command(session);
    }
}
