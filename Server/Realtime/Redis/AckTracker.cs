using System.Collections.Concurrent;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>Waits for the acknowledgements of a group command. How many to wait for is only known once Redis
/// answered the PUBLISH with its receiver count, and an ack may beat that answer, so acks are counted from the
/// moment the command is created.</summary>
public sealed class AckTracker
{
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private int _lastId;

    public (int Id, Task Done) Create()
    {
        var id = Interlocked.Increment(ref _lastId);
        var pending = new Pending();
        _pending[id] = pending;
        return (id, pending.Done.Task);
    }

    /// <summary>The command reached <paramref name="receivers"/> nodes; each of them acknowledges it.</summary>
    public void Expect(int id, long receivers)
    {
        if (_pending.TryGetValue(id, out var pending)) pending.Expect(receivers);
    }

    public void Acknowledge(int id)
    {
        if (_pending.TryGetValue(id, out var pending)) pending.Acknowledge();
    }

    public void Forget(int id) => _pending.TryRemove(id, out _);

    private sealed class Pending
    {
        private readonly Lock _lock = new();
        private long _expected = -1;
        private long _received;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Expect(long receivers)
        {
            lock (_lock) _expected = receivers;
            CompleteIfDone();
        }

        public void Acknowledge()
        {
            lock (_lock) _received++;
            CompleteIfDone();
        }

        private void CompleteIfDone()
        {
            lock (_lock)
            {
                if (_expected >= 0 && _received >= _expected) Done.TrySetResult();
            }
        }
    }
}
