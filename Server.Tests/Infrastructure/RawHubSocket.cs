using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A hand-driven SignalR JSON-protocol connection over a plain <see cref="ClientWebSocket"/>: it sends
/// whatever text it is given (framed with the 0x1E record separator, or not), and reports what the server
/// answered to each invocation id, or that the server closed the connection. It can also play a client that stops
/// reading after the handshake (<see cref="ConnectStalledAsync"/>).</summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Completion>> _pending = new();
    private readonly ConcurrentDictionary<string, int> _pushesByTarget = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiveLoop = Task.CompletedTask;
    private List<byte> _handshakeRemainder = [];
    private bool _receiving;
    private HttpMessageInvoker? _invoker;
    private int _pushes;

    /// <summary>A completion: <see cref="Error"/> is null for a success.</summary>
    public sealed record Completion(string? Error, JsonElement? Result);

    /// <summary>Completed with the reason once the server closed the connection (or the socket failed).</summary>
    public Task<string> Closed => _closed.Task;
    public bool IsClosed => _closed.Task.IsCompleted;
    public int Pushes => Volatile.Read(ref _pushes);

    /// <summary>Pushes received for one client method (e.g. "MessageCreated").</summary>
    public int PushesOf(string target) => _pushesByTarget.GetValueOrDefault(target);

    public static Task<RawHubSocket> ConnectAsync(Uri baseUrl, string token) => ConnectAsync(baseUrl, token, read: true, socketReceiveBuffer: null);

    /// <summary>A client that completes the handshake, then reads nothing until <see cref="StartReading"/>: its socket's
    /// receive buffer is made small (<paramref name="socketReceiveBuffer"/> bytes, before connecting, so the kernel
    /// does not grow it), so the server soon finds it cannot send.</summary>
    public static Task<RawHubSocket> ConnectStalledAsync(Uri baseUrl, string token, int socketReceiveBuffer = 4096) =>
        ConnectAsync(baseUrl, token, read: false, socketReceiveBuffer);

    private static async Task<RawHubSocket> ConnectAsync(Uri baseUrl, string token, bool read, int? socketReceiveBuffer)
    {
        var raw = new RawHubSocket();
        var url = new UriBuilder(baseUrl)
        {
            Scheme = baseUrl.Scheme == "https" ? "wss" : "ws",
            Path = "/hubs/chat",
            Query = $"access_token={Uri.EscapeDataString(token)}",
        }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (socketReceiveBuffer is { } receiveBuffer)
        {
            raw._invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = receiveBuffer };
                    try
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            });
            await raw._socket.ConnectAsync(url, raw._invoker, timeout.Token);
        }
        else
        {
            await raw._socket.ConnectAsync(url, timeout.Token);
        }
        await raw.SendTextAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        var handshakeBuffer = new List<byte>();
        var handshake = await raw.ReadRecordAsync(handshakeBuffer, timeout.Token)
            ?? throw new InvalidOperationException("the server closed the connection during the handshake");
        using (var answer = JsonDocument.Parse(handshake))
        {
            if (answer.RootElement.TryGetProperty("error", out var error))
                throw new InvalidOperationException($"handshake refused: {error}");
        }
        raw._handshakeRemainder = handshakeBuffer;
        if (read) raw.StartReading();
        return raw;
    }

    /// <summary>Starts the receive loop (at once for <see cref="ConnectAsync(Uri, string)"/>): pushes are counted,
    /// completions reported, and <see cref="Closed"/> completes when the server ends the connection.</summary>
    public void StartReading()
    {
        if (_receiving) return;
        _receiving = true;
        var buffer = _handshakeRemainder;
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(buffer));
    }

    /// <summary>Sends text as one WebSocket text message, as is (the caller adds separators).</summary>
    public async Task SendTextAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            _closed.TrySetResult($"send failed: {ex.Message}");
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Registers <paramref name="invocationId"/>, then sends <paramref name="frame"/> (with its separator).</summary>
    public Task<Completion?> InvokeAsync(string invocationId, string frame)
    {
        var completion = Expect(invocationId);
        return SendThenWait(frame, completion);
    }

    private async Task<Completion?> SendThenWait(string frame, Task<Completion?> completion)
    {
        await SendTextAsync(frame + RecordSeparator);
        return await completion;
    }

    /// <summary>Starts listening for the completion of <paramref name="invocationId"/> (call before sending it).</summary>
    public Task<Completion> Register(string invocationId) =>
        _pending.GetOrAdd(invocationId, _ => new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The completion of <paramref name="invocationId"/>, or null if the connection closed first.
    /// Throws <see cref="TimeoutException"/> when nothing came within a generous bound.</summary>
    public async Task<Completion?> Expect(string invocationId, TimeSpan? within = null)
    {
        var answer = _pending.GetOrAdd(invocationId, _ => new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously));
        var finished = await Task.WhenAny(answer.Task, _closed.Task, Task.Delay(within ?? TimeSpan.FromSeconds(60)));
        _pending.TryRemove(invocationId, out _);
        if (finished == answer.Task) return await answer.Task;
        if (finished == _closed.Task)
        {
            // A completion that arrived just before the close still counts.
            return answer.Task.IsCompletedSuccessfully ? answer.Task.Result : null;
        }
        throw new TimeoutException($"no completion for invocation {invocationId} within {within ?? TimeSpan.FromSeconds(60)}");
    }

    private async Task ReceiveLoopAsync(List<byte> buffer)
    {
        try
        {
            while (true)
            {
                var record = await ReadRecordAsync(buffer, CancellationToken.None);
                if (record is null) break;
                Dispatch(record);
            }
            _closed.TrySetResult($"closed by the server ({_socket.CloseStatus} {_socket.CloseStatusDescription})");
        }
        catch (Exception ex)
        {
            _closed.TrySetResult($"receive failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private void Dispatch(string record)
    {
        using var document = JsonDocument.Parse(record);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1: // a push
                Interlocked.Increment(ref _pushes);
                _pushesByTarget.AddOrUpdate(root.GetProperty("target").GetString()!, 1, (_, n) => n + 1);
                break;
            case 3:
                var id = root.GetProperty("invocationId").GetString()!;
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
                JsonElement? result = root.TryGetProperty("result", out var r) ? r.Clone() : null;
                _pending.GetOrAdd(id, _ => new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult(new Completion(error, result));
                break;
            case 7:
                var reason = root.TryGetProperty("error", out var closeError) ? closeError.GetString() : null;
                _closed.TrySetResult($"close message: {reason ?? "(no error)"}");
                break;
        }
    }

    /// <summary>The next record (text up to a 0x1E), or null when the socket closed.</summary>
    private async Task<string?> ReadRecordAsync(List<byte> buffer, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var end = buffer.IndexOf(0x1E);
            if (end >= 0)
            {
                var record = Encoding.UTF8.GetString(buffer.GetRange(0, end).ToArray());
                buffer.RemoveRange(0, end + 1);
                return record;
            }
            var received = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close) return null;
            buffer.AddRange(chunk.AsSpan(0, received.Count).ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _socket.Abort();
        _closed.TrySetResult("disposed");
        try { await _receiveLoop; } catch { /* ended with the socket */ }
        _socket.Dispose();
        _invoker?.Dispose();
        _sendLock.Dispose();
    }
}
