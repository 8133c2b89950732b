using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

// The connection's life after StartAsync: watching the socket, reconnecting with backoff, and the events the
// app sees (Reconnecting, Reconnected, Closed), queued behind the pushes so they keep the server's order.
public sealed partial class ChatHubConnection
{
    /// <summary>Counts sockets: each successful start or reconnect takes the next number.</summary>
    internal long Generation => Interlocked.Read(ref _generation);

    /// <summary>True inside a push handler or event handler of this connection.</summary>
    internal bool IsOnDispatcher => _dispatcher.IsCurrent;

    /// <summary>Runs <paramref name="work"/> on the push queue, after the pushes that arrived before it.</summary>
    internal bool Enqueue(Func<Task> work) => _dispatcher.Enqueue(work);

    /// <summary>Waits until a socket newer than <paramref name="afterGeneration"/> is connected and returns its
    /// generation. Throws <see cref="ChatHubConnectionClosedException"/> once the connection is down for good
    /// (never started, stopped, or given up). Does not depend on the push queue, so handlers may await it.</summary>
    internal async Task<long> WaitConnectedAsync(long afterGeneration, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_stateLock)
            {
                if (_state == ChatHubConnectionState.Connected && _generation > afterGeneration)
                {
                    return _generation;
                }
                if (_state == ChatHubConnectionState.Disconnected)
                {
                    throw new ChatHubConnectionClosedException("The connection is closed.");
                }
                changed = _stateChanged.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SetState(ChatHubConnectionState state)
    {
        TaskCompletionSource changed;
        lock (_stateLock)
        {
            _state = state;
            changed = _stateChanged;
            _stateChanged = NewSignal();
        }
        changed.TrySetResult();
    }

    /// <summary>Makes <paramref name="transport"/> the live socket. Call under <c>_stateLock</c>.</summary>
    private void Install(HubTransport transport, string? connectionId)
    {
        _transport = transport;
        _connectionId = connectionId;
        _generation++;
        SetState(ChatHubConnectionState.Connected);
    }

    private async Task WatchTransportAsync(HubTransport transport, ConnectionSession session)
    {
        var error = await transport.Completion.ConfigureAwait(false);
        bool reconnect;
        lock (_stateLock)
        {
            if (_transport == transport)
            {
                _transport = null;
                _connectionId = null;
            }
            reconnect = _options.Reconnect is not null && !session.StopRequested && transport.ServerAllowsReconnect;
            SetState(reconnect ? ChatHubConnectionState.Reconnecting : ChatHubConnectionState.Disconnected);
        }
        _pending.FailAll(() => new ChatHubConnectionClosedException("The connection ended before the server answered.", error));
        if (error is null)
        {
            _logger.LogInformation("Connection closed.");
        }
        else
        {
            _logger.LogWarning(error, "Connection lost.");
        }

        if (reconnect)
        {
            Raise(Reconnecting, error);
            (var next, error) = await ReconnectAsync(_options.Reconnect!, session, error).ConfigureAwait(false);
            if (next is not null)
            {
                _ = WatchTransportAsync(next, session);
                return;
            }
            SetState(ChatHubConnectionState.Disconnected);
        }

        // Queued behind the pushes that arrived first, so Closed is the last thing the app sees.
        if (!_dispatcher.Enqueue(() => RaiseClosedAsync(error, session)))
        {
            _ = RaiseClosedAsync(error, session);
        }
    }

    /// <summary>Tries until a socket is up (returned, installed and announced), the policy gives up or the
    /// token is refused (null and the final error), or the app stops (null and no error).</summary>
    private async Task<(HubTransport? Transport, Exception? Error)> ReconnectAsync(
        ReconnectPolicy policy, ConnectionSession session, Exception? lastError)
    {
        for (var attempt = 1; policy.MaxAttempts is not { } max || attempt <= max; attempt++)
        {
            var delay = policy.DelayBefore(attempt, policy.NextRandom());
            _logger.LogInformation("Reconnect attempt {Attempt} in {Delay}.", attempt, delay);
            try
            {
                await Task.Delay(delay, policy.TimeProvider, session.StopToken).ConfigureAwait(false);
                using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(session.StopToken);
                attemptCancellation.CancelAfter(_options.HandshakeTimeout);
                var (transport, connectionId) = await ConnectTransportAsync(attemptCancellation.Token).ConfigureAwait(false);
                if (!TryInstallReconnected(transport, connectionId, session))
                {
                    await transport.StopAsync().ConfigureAwait(false);
                    return (null, null);
                }
                _logger.LogInformation("Reconnected after {Attempts} attempt(s).", attempt);
                Raise(Reconnected, connectionId);
                return (transport, null);
            }
            catch (OperationCanceledException) when (session.StopRequested)
            {
                return (null, null);
            }
            catch (ChatHubUnauthorizedException ex)
            {
                // The token was revoked or the server forgot it: retrying cannot help.
                return (null, ex);
            }
            catch (Exception ex)
            {
                lastError = ex is OperationCanceledException
                    ? new TimeoutException($"Reconnect attempt {attempt} did not finish within {_options.HandshakeTimeout} (HandshakeTimeout).", ex)
                    : ex;
                _logger.LogInformation(lastError, "Reconnect attempt {Attempt} failed.", attempt);
            }
        }
        return (null, lastError);
    }

    private bool TryInstallReconnected(HubTransport transport, string? connectionId, ConnectionSession session)
    {
        lock (_stateLock)
        {
            if (session.StopRequested)
            {
                return false;
            }
            Install(transport, connectionId);
            return true;
        }
    }

    private void Raise<T>(Func<T, Task>? handlers, T argument)
    {
        if (handlers is null)
        {
            return;
        }
        _dispatcher.Enqueue(async () =>
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<T, Task>>())
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
        });
    }

    private async Task RaiseClosedAsync(Exception? error, ConnectionSession session)
    {
        try
        {
            foreach (var handler in Closed?.GetInvocationList().Cast<Func<Exception?, Task>>() ?? [])
            {
                try
                {
                    await handler(error).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "A Closed handler threw.");
                }
            }
        }
        finally
        {
            session.End();
        }
    }

    /// <summary>One StartAsync's life, across every socket it reconnects, until Closed has run.</summary>
    private sealed class ConnectionSession
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _ended = NewSignal();
        private volatile bool _stopRequested;

        public bool StopRequested => _stopRequested;

        public CancellationToken StopToken => _stop.Token;

        public Task Ended => _ended.Task;

        public void MarkStopRequested() => _stopRequested = true;

        /// <summary>Outside any lock: cancelling runs the waiting reconnect loop's continuations.</summary>
        public void CancelWaits() => _stop.Cancel();

        public void End() => _ended.TrySetResult();
    }
}
