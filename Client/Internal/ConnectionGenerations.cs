using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Client;

/// <summary>Counts the connections a <see cref="HubConnection"/> has had (each start or reconnect is the next
/// one), so that a call cut off by a lost connection waits for a newer one before it is tried again. A stateful
/// reconnect keeps the same connection and is not counted: calls in flight survive it.</summary>
internal sealed class ConnectionGenerations(HubConnection connection)
{
    private readonly object _lock = new();
    private long _generation;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>A start or reconnect completed.</summary>
    public void Advance()
    {
        lock (_lock)
        {
            _generation++;
        }
        Signal();
    }

    /// <summary>The connection's state may have changed (reconnecting, closed, a failed start): waiters look again.</summary>
    public void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    /// <summary>Waits until a connection newer than <paramref name="afterGeneration"/> is up and returns its
    /// generation. Throws <see cref="ChatHubConnectionClosedException"/> once the connection is down for good
    /// (never started, stopped, or reconnecting gave up). Independent of the push queue, so handlers may await it.</summary>
    public async Task<long> WaitConnectedAsync(long afterGeneration, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                // The official client changes its state before raising the event that signals us, and the signal
                // completes the task taken here, so no change is missed between the look and the wait.
                var state = connection.State;
                if (state == HubConnectionState.Connected && _generation > afterGeneration)
                {
                    return _generation;
                }
                if (state == HubConnectionState.Disconnected)
                {
                    throw new ChatHubConnectionClosedException("The connection is closed.");
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
