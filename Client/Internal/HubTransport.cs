using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>One WebSocket's life: upgrade, handshake, receive loop, keep-alive and close. It knows nothing of
/// handlers or pending calls; it hands every parsed message to its owner and reports how it ended through
/// <see cref="Completion"/>, so the owner can replace a dead transport with a new one.</summary>
internal sealed class HubTransport : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private const int KeepSendBufferAtMost = 64 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly IHubProtocol _protocol;
    private readonly IInvocationBinder _binder;
    private readonly Action<HubMessage> _onMessage;
    private readonly long _keepAliveMs;
    private readonly long _serverTimeoutMs;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ReceiveBuffer _receiveBuffer = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ArrayBufferWriter<byte> _sendBuffer = new(1024);
    private Exception? _failure;
    private volatile bool _serverForbadeReconnect;
    private int _stopping;
    private int _ended;
    private long _lastSentAt;
    private long _lastReceivedAt;

    public HubTransport(IHubProtocol protocol, IInvocationBinder binder, Action<HubMessage> onMessage,
        TimeSpan keepAliveInterval, TimeSpan serverTimeout, ILogger logger)
    {
        _protocol = protocol;
        _binder = binder;
        _onMessage = onMessage;
        _keepAliveMs = ToMilliseconds(keepAliveInterval);
        _serverTimeoutMs = ToMilliseconds(serverTimeout);
        _logger = logger;
        // SignalR pings do the liveness work; WebSocket-level pings would only add traffic.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        _socket.Options.CollectHttpResponseDetails = true;
    }

    /// <summary>Completes when the socket is gone: null after a clean close (ours, or the server's without an
    /// error), otherwise why it ended. Never faults.</summary>
    public Task<Exception?> Completion => _completion.Task;

    /// <summary>False when the server's close message said not to reconnect (SignalR's allowReconnect).</summary>
    public bool ServerAllowsReconnect => !_serverForbadeReconnect;

    /// <summary>Upgrades, completes the SignalR handshake and starts the receive and keep-alive loops.</summary>
    public async Task ConnectAsync(Uri webSocketUrl, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectCoreAsync(webSocketUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _ended, 1);
            _socket.Dispose();
            _completion.TrySetResult(ex);
            throw;
        }
    }

    private async Task ConnectCoreAsync(Uri webSocketUrl, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.ConnectAsync(webSocketUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex) when (_socket.HttpStatusCode == HttpStatusCode.Unauthorized)
        {
            throw new ChatHubUnauthorizedException("The server refused the access token (HTTP 401 at the WebSocket upgrade).", ex);
        }
        catch (WebSocketException ex) when (_socket.HttpStatusCode != 0)
        {
            throw new ChatHubConnectException($"The WebSocket upgrade failed: HTTP {(int)_socket.HttpStatusCode}.", ex);
        }

        HandshakeProtocol.WriteRequestMessage(new HandshakeRequestMessage(_protocol.Name, _protocol.Version), _sendBuffer);
        await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        _sendBuffer.ResetWrittenCount();
        await ReceiveHandshakeResponseAsync(cancellationToken).ConfigureAwait(false);

        _lastSentAt = _lastReceivedAt = Environment.TickCount64;
        _ = ReceiveLoopAsync();
        if (_keepAliveMs > 0 || _serverTimeoutMs > 0)
        {
            _ = KeepAliveLoopAsync();
        }
    }

    /// <summary>Writes one message. Only waiting for the socket is cancellable: cancelling a WebSocket write
    /// aborts the socket, which one caller must not do to everyone's connection.</summary>
    public async ValueTask SendAsync(HubMessage message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfEnded();
            // Serialising inside the lock lets one reusable buffer serve every message.
            _protocol.WriteMessage(message, _sendBuffer);
            try
            {
                await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, true, _lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Fail(ex);
                throw new ChatHubConnectionClosedException("The connection failed while sending.", ex);
            }
            Volatile.Write(ref _lastSentAt, Environment.TickCount64);
        }
        finally
        {
            if (_sendBuffer.Capacity > KeepSendBufferAtMost)
            {
                _sendBuffer = new ArrayBufferWriter<byte>(1024);
            }
            else
            {
                _sendBuffer.ResetWrittenCount();
            }
            _sendLock.Release();
        }
    }

    /// <summary>Closes cleanly: sends a close frame, waits briefly for the server's, then gives up and aborts.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0 && !_completion.Task.IsCompleted)
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    if (_socket.State == WebSocketState.Open)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
                await _completion.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                _socket.Abort();
            }
        }
        await _completion.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task ReceiveHandshakeResponseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await ReceiveChunkAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ChatHubConnectException("The server closed the connection during the handshake.");
            }
            var unread = _receiveBuffer.Unread;
            if (HandshakeProtocol.TryParseResponseMessage(ref unread, out var response))
            {
                // Messages may follow the response in the same frame; the receive loop parses them first.
                _receiveBuffer.ConsumeTo(unread);
                if (response.Error is not null)
                {
                    throw new ChatHubConnectException($"The server refused the handshake: {response.Error}");
                }
                return;
            }
        }
    }

    /// <summary>Reads what the socket has into the buffer; false when the server sent a close frame.</summary>
    private async ValueTask<bool> ReceiveChunkAsync(CancellationToken cancellationToken)
    {
        var result = await _socket.ReceiveAsync(_receiveBuffer.GetFreeSpace(), cancellationToken).ConfigureAwait(false);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return false;
        }
        _receiveBuffer.Advance(result.Count);
        Volatile.Write(ref _lastReceivedAt, Environment.TickCount64);
        return true;
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (DeliverBufferedMessages(ref error))
            {
                if (!await ReceiveChunkAsync(_lifetime.Token).ConfigureAwait(false))
                {
                    error = _socket.CloseStatus is null or WebSocketCloseStatus.NormalClosure
                        ? null
                        : new ChatHubConnectionClosedException(
                            $"The server closed the WebSocket: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        await FinishAsync(error).ConfigureAwait(false);
    }

    /// <summary>Parses and hands on every complete record; false once the server sent a CloseMessage.</summary>
    private bool DeliverBufferedMessages(ref Exception? closeError)
    {
        var unread = _receiveBuffer.Unread;
        try
        {
            while (_protocol.TryParseMessage(ref unread, _binder, out var message))
            {
                switch (message)
                {
                    case PingMessage:
                        break; // receiving it already reset the server timeout
                    case CloseMessage close:
                        _serverForbadeReconnect = !close.AllowReconnect;
                        closeError = close.Error is null
                            ? null
                            : new ChatHubConnectionClosedException($"The server closed the connection: {close.Error}");
                        return false;
                    default:
                        _onMessage(message);
                        break;
                }
            }
        }
        finally
        {
            _receiveBuffer.ConsumeTo(unread);
        }
        return true;
    }

    private async Task KeepAliveLoopAsync()
    {
        var tickMs = Math.Clamp(Math.Min(Positive(_keepAliveMs), Positive(_serverTimeoutMs)) / 4, 10, 1000);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(tickMs));
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                if (_serverTimeoutMs > 0 && now - Volatile.Read(ref _lastReceivedAt) > _serverTimeoutMs)
                {
                    Fail(new TimeoutException(
                        $"Nothing was received from the server for {_serverTimeoutMs} ms (ServerTimeout)."));
                    return;
                }
                if (_keepAliveMs > 0 && now - Volatile.Read(ref _lastSentAt) >= _keepAliveMs)
                {
                    await SendAsync(PingMessage.Instance, _lifetime.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChatHubConnectionClosedException)
        {
            // The transport is ending; FinishAsync reports why.
        }

        static long Positive(long ms) => ms > 0 ? ms : long.MaxValue;
    }

    /// <summary>Ends the transport with this error unless it already ended for another reason.</summary>
    private void Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _failure, error, null) is null)
        {
            _logger.LogDebug(error, "Transport failed.");
        }
        _socket.Abort();
    }

    private async Task FinishAsync(Exception? receiveError)
    {
        // The first failure (a timeout, a broken send) is the cause; the receive error is usually its echo.
        // After our own stop, whatever the socket reports is the expected end.
        var error = Volatile.Read(ref _failure) ?? (Volatile.Read(ref _stopping) == 1 ? null : receiveError);
        Volatile.Write(ref _ended, 1);
        _lifetime.Cancel();

        if (_socket.State == WebSocketState.CloseReceived)
        {
            // Answer the server's close frame so the server sees a clean close.
            using var timeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                _socket.Abort();
            }
        }
        _socket.Dispose();
        _completion.TrySetResult(error);
    }

    private void ThrowIfEnded()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new ChatHubConnectionClosedException("The connection is closed.", failure);
        }
        if (Volatile.Read(ref _stopping) == 1 || Volatile.Read(ref _ended) == 1)
        {
            throw new ChatHubConnectionClosedException("The connection is closed.");
        }
    }

    private static long ToMilliseconds(TimeSpan interval) =>
        interval <= TimeSpan.Zero || interval == Timeout.InfiniteTimeSpan ? 0 : (long)interval.TotalMilliseconds;
}
