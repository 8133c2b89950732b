using System.Collections.Concurrent;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Keeps a read's continuations on the thread that opened its LiteDB transaction (LiteDB binds a transaction
/// to its thread): while a read's query runs, this is the thread's synchronization context, and the thread runs
/// whatever the query posts until it completes. A query that awaits only the store never posts anything.</summary>
internal sealed class LiteDbReadPump : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _posted = [];

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _posted.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The read is over (something it started outlives it): run it on the thread pool.
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    public static T Run<T>(Func<ValueTask<T>> query)
    {
        var previous = Current;
        var pump = new LiteDbReadPump();
        SetSynchronizationContext(pump);
        try
        {
            var pending = query();
            if (pending.IsCompleted) return pending.Result;
            var task = pending.AsTask();
            task.ContinueWith(_ => pump._posted.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in pump._posted.GetConsumingEnumerable()) callback(state);
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
