namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A clock for reconnect delays that records every delay asked for and either ends it at once (so a
/// test never waits) or never (so a test can act while the connection is waiting to reconnect).</summary>
public sealed class RecordingTimeProvider(bool fireImmediately) : TimeProvider
{
    private readonly List<TimeSpan> _delays = [];

    public IReadOnlyList<TimeSpan> Delays { get { lock (_delays) return [.. _delays]; } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_delays) _delays.Add(dueTime);
        if (fireImmediately) ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new NeverTimer();
    }

    private sealed class NeverTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
