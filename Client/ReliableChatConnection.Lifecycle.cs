using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

// Start, stop, and the connection's events as the app sees them: raised on the queue, so they keep their place
// among the changes (Reconnected after the catch-up, Closed after every change that arrived before it).
public sealed partial class ReliableChatConnection
{
    private volatile bool _stopRequested;
    private TaskCompletionSource? _closedRaised;
    private int _disposed;

    /// <summary>The connection was lost for longer than a stateful reconnect bridges (with why); calls made now
    /// wait, and are sent once it is back. Runs on the queue, after the changes that arrived before it.</summary>
    public event Func<Exception?, Task>? Reconnecting;

    /// <summary>Back on a new connection (with its id), and every tracked conversation has caught up: what was
    /// missed was handed over before this runs.</summary>
    public event Func<string?, Task>? Reconnected;

    /// <summary>Over for good: <see cref="StopAsync"/> (null, and only then), or reconnecting gave up (the last attempt's
    /// error; <see cref="ChatHubUnauthorizedException"/> when the server refused the token), or the server closed the
    /// connection and forbade reconnecting (its error, else a <see cref="ChatHubConnectionClosedException"/>: e.g. the
    /// token was revoked; a new <see cref="StartAsync"/> then tells). Waiting calls then fail with
    /// <see cref="ChatHubConnectionClosedException"/>. It runs after every change that arrived before it.</summary>
    public event Func<Exception?, Task>? Closed;

    /// <summary>Connects; after a stop (or after <see cref="Closed"/>), also catches up every tracked conversation.
    /// A refused token throws <see cref="ChatHubUnauthorizedException"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        _stopRequested = false;
        var closedRaised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _closedRaised, closedRaised);
        try
        {
            await HubConnection.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            closedRaised.TrySetResult(); // no connection, so no Closed to wait for
            _generations.Signal();
            var failure = CallErrors.ConnectFailure(ex);
            if (failure == ex)
            {
                throw;
            }
            throw failure;
        }
        _generations.Advance();
        _queue.Enqueue(_tracker.ResyncAllAsync);
    }

    /// <summary>Stops, including reconnecting; waiting calls fail with <see cref="ChatHubConnectionClosedException"/>.
    /// Returns once <see cref="Closed"/> has run (except when called from a handler, where that would deadlock).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopRequested = true;
        await HubConnection.StopAsync(cancellationToken).ConfigureAwait(false);
        _generations.Signal();
        if (Volatile.Read(ref _closedRaised) is { } closedRaised && !_queue.IsCurrent)
        {
            await closedRaised.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops (see <see cref="StopAsync"/>) and releases the official connection and the handler queue.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync().ConfigureAwait(false);
        await HubConnection.DisposeAsync().ConfigureAwait(false);
        await _queue.DisposeAsync().ConfigureAwait(false);
    }

    private Task OnReconnecting(Exception? error)
    {
        _generations.Signal();
        Raise(Reconnecting, error);
        return Task.CompletedTask;
    }

    private Task OnReconnected(string? connectionId)
    {
        // Pushes sent while no connection was there are not replayed: every tracked conversation fetches them.
        _generations.Advance();
        _queue.Enqueue(CatchUpAsync);
        Raise(Reconnected, connectionId);
        return Task.CompletedTask;
    }

    private Task OnClosed(Exception? error)
    {
        _generations.Signal();
        // The official client reports a stop during reconnecting, and a policy that gave up, as cancellations; and a
        // close by the server that forbids reconnecting (a revoked token, say) with null, as it reports StopAsync: null
        // is kept for the app's own stop, so an app can tell "signed out" from "put out".
        var reported = _stopRequested ? null
            : error is OperationCanceledException && _reconnect.LastAttemptError is { } last ? CallErrors.ConnectFailure(last)
            : error ?? new ChatHubConnectionClosedException(
                "The server closed the connection and did not allow reconnecting (the access may have been revoked).");
        Raise(Closed, reported, Volatile.Read(ref _closedRaised));
        return Task.CompletedTask;
    }

    private void Raise<T>(Func<T, Task>? handlers, T argument, TaskCompletionSource? whenRaised = null)
    {
        async Task RaiseAsync()
        {
            try
            {
                foreach (var handler in handlers?.GetInvocationList().Cast<Func<T, Task>>() ?? [])
                {
                    try
                    {
                        await handler(argument).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "A connection event handler threw.");
                    }
                }
            }
            finally
            {
                whenRaised?.TrySetResult();
            }
        }

        if (!_queue.Enqueue(RaiseAsync))
        {
            _ = RaiseAsync(); // disposed: nothing is queued any more, so nothing to keep order with
        }
    }
}
