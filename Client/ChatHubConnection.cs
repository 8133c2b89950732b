using System.Globalization;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatHub.Client;

/// <summary>A typed SignalR connection to the ChatHub hub (<c>/hubs/chat</c>). It owns what must survive a
/// socket (options, handlers, invocation ids, push order); each socket's life is a <see cref="HubTransport"/>,
/// so a dead one is replaced on reconnect (<see cref="ChatHubConnectionOptions.Reconnect"/>) without losing
/// registrations.</summary>
public sealed partial class ChatHubConnection : IAsyncDisposable
{
    private readonly ChatHubConnectionOptions _options;
    private readonly JsonHubProtocol _protocol;
    private readonly PendingInvocations _pending = new();
    private readonly HandlerRegistry _handlers = new();
    private readonly HubBinder _binder;
    private readonly SerialDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lifecycleLock = new(1, 1);
    private readonly object _stateLock = new();
    private HubTransport? _transport;
    private ConnectionSession? _session;
    private CancellationTokenSource? _startCancellation;
    private bool _stoppedWhileStarting;
    private volatile ChatHubConnectionState _state;
    private string? _connectionId;
    private long _generation;
    private TaskCompletionSource _stateChanged = NewSignal();
    private long _lastInvocationId;
    private int _disposed;

    public ChatHubConnection(ChatHubConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.ServerUrl.IsAbsoluteUri || options.ServerUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("ServerUrl must be an absolute http or https address.", nameof(options));
        }
        ArgumentNullException.ThrowIfNull(options.AccessToken);
        options.Reconnect?.Validate();

        _options = options;
        _protocol = new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions
        {
            PayloadSerializerOptions = options.JsonSerializerOptions ?? new JsonHubProtocolOptions().PayloadSerializerOptions,
        }));
        _binder = new HubBinder(_pending, _handlers);
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ChatHubConnection>();
        _dispatcher = new SerialDispatcher(DispatchPushAsync, _logger);
        Hub = new ChatHubProxy(this);
    }

    /// <summary>Typed calls to the hub: <c>await connection.Hub.SendMessage(...)</c>.</summary>
    public ChatHubProxy Hub { get; }

    public ChatHubConnectionState State => _state;

    /// <summary>The id the server gave at negotiate; null before, after, and with SkipNegotiation.</summary>
    public string? ConnectionId => Volatile.Read(ref _connectionId);

    /// <summary>Raised once each time a started connection ends for good: after <see cref="StopAsync"/> (null),
    /// or, without a reconnect policy, when the socket ends (null after a clean close, otherwise why); with one,
    /// when reconnecting gives up (the last attempt's error, e.g. <see cref="ChatHubUnauthorizedException"/>).
    /// It runs after every push that arrived before the end, never at the same time as a push handler.</summary>
    public event Func<Exception?, Task>? Closed;

    /// <summary>Raised when the socket is lost and the connection starts reconnecting (with why it was lost).
    /// Calls fail with <see cref="ChatHubConnectionClosedException"/> until <see cref="Reconnected"/>.</summary>
    public event Func<Exception?, Task>? Reconnecting;

    /// <summary>Raised when a new socket replaced the lost one (with the new <see cref="ConnectionId"/>).
    /// Pushes sent while no socket was there are not replayed: catch up with GetMessages {afterSeq}, or use
    /// <see cref="ReliableChatConnection"/>, which does.</summary>
    public event Func<string?, Task>? Reconnected;

    /// <summary>Negotiates (unless skipped), opens the WebSocket and completes the handshake. Throws
    /// <see cref="ChatHubUnauthorizedException"/> when the token is refused, <see cref="TimeoutException"/>
    /// after <see cref="ChatHubConnectionOptions.HandshakeTimeout"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (_state != ChatHubConnectionState.Disconnected)
            {
                throw new InvalidOperationException($"The connection is already {_state}.");
            }

            using var startCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startCancellation.CancelAfter(_options.HandshakeTimeout);
            lock (_stateLock)
            {
                SetState(ChatHubConnectionState.Connecting);
                _stoppedWhileStarting = false;
                _startCancellation = startCancellation;
            }
            HubTransport transport;
            string? connectionId;
            try
            {
                (transport, connectionId) = await ConnectTransportAsync(startCancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && !_stoppedWhileStarting)
            {
                SetState(ChatHubConnectionState.Disconnected);
                throw new TimeoutException($"The connection did not start within {_options.HandshakeTimeout} (HandshakeTimeout).", ex);
            }
            catch
            {
                SetState(ChatHubConnectionState.Disconnected);
                throw;
            }
            finally
            {
                // Under the lock, so StopAsync never cancels it after it is disposed.
                lock (_stateLock)
                {
                    _startCancellation = null;
                }
            }

            var session = new ConnectionSession();
            lock (_stateLock)
            {
                _session = session;
                Install(transport, connectionId);
            }
            _ = WatchTransportAsync(transport, session);
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    /// <summary>Closes the socket cleanly (or ends reconnecting), fails pending invocations, and returns once
    /// <see cref="Closed"/> has run (except when called from a handler, where waiting for it would deadlock).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            if (_startCancellation is not null)
            {
                // A start in progress fails as stopped (OperationCanceledException), not as timed out.
                _stoppedWhileStarting = true;
                _startCancellation.Cancel();
            }
        }

        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        HubTransport? transport;
        ConnectionSession? session;
        try
        {
            lock (_stateLock)
            {
                // Under the lock: a reconnect installing a new transport either sees the request or is seen here.
                session = _session;
                session?.MarkStopRequested();
                transport = _transport;
            }
            session?.CancelWaits();
            if (transport is not null)
            {
                await transport.StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycleLock.Release();
        }

        if (session is not null && !_dispatcher.IsCurrent)
        {
            await session.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Calls a hub method and returns its result. An error from the server throws
    /// <see cref="ChatHubException"/>; a connection that is down or drops throws
    /// <see cref="ChatHubConnectionClosedException"/>. Cancelling stops waiting; the server may still run it.</summary>
    public Task<T> InvokeAsync<T>(string method, object?[] args, CancellationToken cancellationToken = default) =>
        InvokeCoreAsync<T>(method, args, typeof(T), cancellationToken);

    /// <summary>Calls a hub method that returns nothing and waits until the server has run it.</summary>
    public Task InvokeAsync(string method, object?[] args, CancellationToken cancellationToken = default) =>
        InvokeCoreAsync<object?>(method, args, typeof(object), cancellationToken);

    /// <summary>Sends a hub call without waiting for (or being told of) its outcome.</summary>
    public async Task SendAsync(string method, params object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        await CurrentTransport().SendAsync(new InvocationMessage(method, args ?? []), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Routes every <see cref="IChatClient"/> push to <paramref name="handler"/>. Dispose the result
    /// to stop. Handlers run one at a time, in the server's order; an exception is logged and skipped.</summary>
    public IDisposable On(IChatClient handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var registrations = new List<IDisposable>();
        try
        {
            foreach (var method in ChatClientMethods.All)
            {
                registrations.Add(_handlers.Add(method.Name, method.ParameterTypes, args => method.Invoke(handler, args)));
            }
        }
        catch
        {
            registrations.ForEach(r => r.Dispose());
            throw;
        }
        return new CompositeRegistration(registrations);
    }

    /// <summary>Routes pushes of one method with a single argument, e.g. <c>On&lt;MessageDto&gt;("MessageCreated", ...)</c>.</summary>
    public IDisposable On<T>(string method, Func<T, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(handler);
        return _handlers.Add(method, [typeof(T)], args => handler((T)args[0]!));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync().ConfigureAwait(false);
        await _dispatcher.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<(HubTransport Transport, string? ConnectionId)> ConnectTransportAsync(CancellationToken cancellationToken)
    {
        string? connectionId = null, connectionToken = null;
        if (!_options.SkipNegotiation)
        {
            var negotiation = await HubEndpoint.NegotiateAsync(_options.ServerUrl, _options.AccessToken, cancellationToken).ConfigureAwait(false);
            connectionId = negotiation.ConnectionId;
            // Negotiate version 0 servers have no separate token; the id is the token.
            connectionToken = negotiation.ConnectionToken ?? negotiation.ConnectionId;
        }

        var transport = new HubTransport(_protocol, _binder, OnTransportMessage,
            _options.KeepAliveInterval, _options.ServerTimeout, _logger);
        await transport.ConnectAsync(HubEndpoint.WebSocketUrl(_options.ServerUrl, connectionToken, _options.AccessToken), cancellationToken)
            .ConfigureAwait(false);
        return (transport, connectionId);
    }

    private async Task<T> InvokeCoreAsync<T>(string method, object?[] args, Type resultType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        cancellationToken.ThrowIfCancellationRequested();
        var transport = CurrentTransport();
        var invocationId = Interlocked.Increment(ref _lastInvocationId).ToString(CultureInfo.InvariantCulture);
        var pending = _pending.Add<T>(invocationId, resultType);
        using var cancellation = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(() => _pending.Cancel(invocationId, cancellationToken))
            : default;
        try
        {
            await transport.SendAsync(new InvocationMessage(invocationId, method, args ?? []), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _pending.Remove(invocationId);
            throw;
        }
        return await pending.Task.ConfigureAwait(false);
    }

    private HubTransport CurrentTransport() =>
        Volatile.Read(ref _transport) ?? throw new ChatHubConnectionClosedException("The connection is not active.");

    /// <summary>Called on the receive loop: must be quick and must not throw.</summary>
    private void OnTransportMessage(HubMessage message)
    {
        switch (message)
        {
            case CompletionMessage completion:
                _pending.Complete(completion);
                break;
            case InvocationMessage push:
                _dispatcher.Enqueue(push);
                break;
            case InvocationBindingFailureMessage failure:
                // Unknown targets (or shapes) are ignored so a newer server does not break an older client.
                _logger.LogDebug(failure.BindingFailure.SourceException, "Ignored a push to '{Target}'.", failure.Target);
                if (failure.InvocationId is not null)
                {
                    _ = ReplyNoResultAsync(failure.InvocationId);
                }
                break;
            default:
                _logger.LogDebug("Ignored a {MessageType}.", message.GetType().Name);
                break;
        }
    }

    private async Task DispatchPushAsync(InvocationMessage push)
    {
        foreach (var handler in _handlers.GetHandlers(push.Target))
        {
            try
            {
                await handler.InvokeAsync(push.Arguments).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A handler for '{Target}' threw; the connection continues.", push.Target);
            }
        }
        if (push.InvocationId is not null)
        {
            await ReplyNoResultAsync(push.InvocationId).ConfigureAwait(false);
        }
    }

    // A server awaiting a client result would otherwise wait forever; IChatClient methods return nothing.
    private async Task ReplyNoResultAsync(string invocationId)
    {
        try
        {
            await CurrentTransport().SendAsync(CompletionMessage.WithError(invocationId, "Client didn't provide a result."), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (ChatHubConnectionClosedException)
        {
            // Nobody is left to answer.
        }
    }

    private sealed class CompositeRegistration(List<IDisposable> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }
}
