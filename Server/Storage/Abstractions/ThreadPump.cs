using System.Collections.Concurrent;

namespace ChatHub.Server.Storage;

/// <summary>Keeps an async method's continuations on the thread that runs it: while it runs, this is the thread's
/// synchronization context, and the thread runs whatever the method posts until it completes. An embedded engine needs
/// that: LiteDB binds a transaction to its thread (a LiteDB read runs its query here), and an embedded writer runs its
/// group-commit loop on a thread of its own (<see cref="GroupCommit.StartOnOwnThread"/>), off the thread pool that
/// its blocking I/O (fsync) would otherwise hold.</summary>
internal sealed class ThreadPump : SynchronizationContext
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
            // The run is over (something it started outlives it): run it on the thread pool.
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
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
