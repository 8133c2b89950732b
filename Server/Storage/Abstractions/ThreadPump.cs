using System.Collections.Concurrent;

namespace ChatHub.Server.Storage;

/// <summary>Keeps an async method's continuations on the thread that runs it: while it runs, this is the thread's
/// synchronization context, and the thread runs whatever the method posts until it completes. An embedded engine needs
/// that: LiteDB binds a transaction to its thread (a LiteDB read runs its query here), and an embedded engine's group
/// commit runs each batch to its end on the thread that runs it (<see cref="GroupCommit.StartBlocking"/>). A method
/// that completes without awaiting anything (the usual case) costs no queue.</summary>
internal sealed class ThreadPump : SynchronizationContext
{
    private readonly Lock _lock = new();
    private BlockingCollection<(SendOrPostCallback Callback, object? State)>? _posted; // made when first needed
    private bool _ended; // under _lock

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            if (!_ended)
            {
                (_posted ??= []).Add((d, state));
                return;
            }
        }
        // The run is over (something it started outlives it): run it on the thread pool.
        ThreadPool.QueueUserWorkItem(_ => d(state));
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    public static T Run<T>(Func<ValueTask<T>> work)
    {
        var previous = Current;
        var pump = new ThreadPump();
        SetSynchronizationContext(pump);
        try
        {
            var pending = work();
            if (pending.IsCompleted) return pending.Result;
            BlockingCollection<(SendOrPostCallback Callback, object? State)> posted;
            lock (pump._lock) posted = pump._posted ??= [];
            var task = pending.AsTask();
            task.ContinueWith(_ =>
            {
                lock (pump._lock) pump._ended = true;
                posted.CompleteAdding();
            }, TaskScheduler.Default);
            foreach (var (callback, state) in posted.GetConsumingEnumerable()) callback(state);
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            lock (pump._lock) pump._ended = true;
            SetSynchronizationContext(previous);
        }
    }
}
