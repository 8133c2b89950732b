using System.Threading.Channels;
using ChatHub.Contracts;
using ChatHub.Server.Common;

namespace ChatHub.Server.Storage;

/// <summary>The single writer of an embedded store (SQLite, LiteDB): callers queue commands; one long-running thread
/// takes what is queued, up to a batch at a time, and hands each batch to the engine's commit, which runs the
/// commands and completes them (a group commit). Disposing the store completes the queue: what was queued commits.</summary>
internal sealed class SingleWriterQueue
{
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _loop;

    /// <param name="commitBatch">Runs a batch's commands on the writer and completes each (its Done).</param>
    public SingleWriterQueue(int capacity, int maxBatchSize, Action<List<PendingWrite>> commitBatch)
    {
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Factory.StartNew(() =>
        {
            var batch = new List<PendingWrite>(maxBatchSize);
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < maxBatchSize && _queue.Reader.TryRead(out var next)) batch.Add(next);
                commitBatch(batch);
            }
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>Queues <paramref name="command"/> and waits for its batch to commit (its result or its exception).</summary>
    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(writer => Complete(command(writer)));
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

    /// <summary>An embedded engine completes synchronously, so a command's ValueTask is already complete unless the
    /// command awaited something else, which a command on the single writer must not do.</summary>
    public static T Complete<T>(ValueTask<T> pending) =>
        pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    public sealed class PendingWrite(Func<IStoreTransaction, object?> command)
    {
        public Func<IStoreTransaction, object?> Command { get; } = command;
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public object? Result { get; set; }
        public Exception? Failure { get; set; }
    }
}
