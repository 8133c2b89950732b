using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;

namespace ChatHub.Server.Tests.Cable;

/// <summary>A plain WebSocket on /cable, as Chatwoot's client-api-demo and Flutter SDK open it (no subprotocol unless
/// asked): sends ActionCable commands as text, keeps every frame it receives, in order.</summary>
public sealed class RawCable : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;
    private readonly List<JsonElement> _frames = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _receiving;

    private RawCable(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveAsync();
    }

    public string? SubProtocol => _socket.SubProtocol;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<RawCable> ConnectAsync(ChatServer server, params string[] subProtocols)
    {
        var socket = new ClientWebSocket();
        foreach (var p in subProtocols) socket.Options.AddSubProtocol(p);
        await socket.ConnectAsync(Url(server), CancellationToken.None);
        return new RawCable(socket);
    }

    /// <summary>A socket opened as a client at <paramref name="forwardedFor"/> (X-Forwarded-For, which the server trusts
    /// from loopback; null: the test's own address): the socket, or null and the status of the server's refusal of
    /// the upgrade (with its Retry-After and body).</summary>
    public static async Task<(RawCable? Cable, HttpStatusCode Status, string? RetryAfter)> TryConnectAsync(Uri baseUrl, string? forwardedFor = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (forwardedFor is not null) socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        try
        {
            await socket.ConnectAsync(new UriBuilder(new Uri(baseUrl, "/cable")) { Scheme = "ws" }.Uri, CancellationToken.None);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != HttpStatusCode.SwitchingProtocols && socket.HttpStatusCode != 0)
        {
            var retryAfter = socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? values.FirstOrDefault() : null;
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status, retryAfter);
        }
        return (new RawCable(socket), HttpStatusCode.SwitchingProtocols, null);
    }

    /// <summary>A client whose socket has a small receive buffer (set before connecting, so the kernel does not grow
    /// it) and that can stop reading (<see cref="StopReading"/>), so the server soon finds it cannot send.</summary>
    public static async Task<RawCable> ConnectSmallAsync(ChatServer server)
    {
        var socket = new ClientWebSocket();
        // Kept for the socket's lifetime (as RawHubSocket keeps its own): the connection it made belongs to it.
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                    { NoDelay = true, ReceiveBufferSize = 4096 };
                await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
            },
        });
        await socket.ConnectAsync(Url(server), invoker, CancellationToken.None);
        return new RawCable(socket) { _invoker = invoker };
    }

    private static Uri Url(ChatServer server) => new UriBuilder(new Uri(server.BaseUrl, "/cable")) { Scheme = "ws" }.Uri;

    private HttpMessageInvoker? _invoker;
    private string? _endedBy;
    private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _paused;

    /// <summary>Reads nothing more (after the frame being read) until <see cref="ResumeReading"/>.</summary>
    public void StopReading() => _paused = true;

    public void ResumeReading() => _resume.TrySetResult();

    /// <summary>The identifier as the client-api-demo writes it: a JSON string, matched by string equality.</summary>
    public static string Identifier(string pubsubToken) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["channel"] = "RoomChannel", ["pubsub_token"] = pubsubToken });

    /// <summary>The identifier as Chatwoot's dashboard and mobile app write it for an agent (ids as numbers).</summary>
    public static string AgentIdentifier(long userId, string pubsubToken, long accountId = 1) =>
        JsonSerializer.Serialize(new { channel = "RoomChannel", pubsub_token = pubsubToken, account_id = accountId, user_id = userId });

    /// <summary>An agent's socket on <paramref name="server"/>, subscribed with the pubsub token and id its profile
    /// shows, confirmed and past its first presence.update (so later broadcasts are what follows).</summary>
    public static async Task<(RawCable Cable, string Identifier)> SubscribeAgentAsync(ChatServer server, string accessToken)
    {
        using var http = server.AgentHttp(accessToken);
        var profile = JsonDocument.Parse(await http.GetStringAsync("/api/v1/profile")).RootElement;
        var identifier = AgentIdentifier(profile.GetProperty("id").GetInt64(), profile.GetProperty("pubsub_token").GetString()!);
        var cable = await ConnectAsync(server, "actioncable-v1-json");
        await cable.Subscribe(identifier);
        await cable.WaitForBroadcast(identifier, "presence.update");
        return (cable, identifier);
    }

    public Task SendAsync(object command) => SendTextAsync(JsonSerializer.Serialize(command));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task Subscribe(string identifier) => SendAsync(new { command = "subscribe", identifier });

    public IReadOnlyList<JsonElement> Frames
    {
        get { lock (_frames) return _frames.ToList(); }
    }

    /// <summary>The first frame (from the start) that matches; fails after a generous wait.</summary>
    public async Task<JsonElement> WaitFor(Func<JsonElement, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            lock (_frames)
            {
                foreach (var frame in _frames)
                    if (match(frame)) return frame;
            }
            if (_receiving.IsCompleted) throw new InvalidOperationException($"the socket closed ({_socket.CloseStatus}, {_endedBy}) before {what}; frames: {Dump()}");
            try { await _arrived.WaitAsync(timeout.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"no {what}; frames: {Dump()}"); }
        }
    }

    public Task<JsonElement> WaitForBroadcast(string identifier, string eventName, Func<JsonElement, bool>? data = null) =>
        WaitFor(f => f.TryGetProperty("identifier", out var id) && id.GetString() == identifier
                     && f.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
                     && m.GetProperty("event").GetString() == eventName && (data is null || data(m.GetProperty("data"))),
            $"{eventName} for {identifier}");

    public async Task WaitClosed()
    {
        using var timeout = new CancellationTokenSource(Wait);
        await _receiving.WaitAsync(timeout.Token);
    }

    public string Dump() => string.Join("\n", Frames.Select(f => f.GetRawText()));

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                if (_paused) await _resume.Task;
                using var frame = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    frame.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); // as browsers answer
                    return;
                }
                var parsed = JsonDocument.Parse(frame.ToArray()).RootElement.Clone();
                lock (_frames) _frames.Add(parsed);
                _arrived.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException) { _endedBy = ex.ToString(); }
        finally
        {
            _arrived.Release();
        }
    }

    /// <summary>Drops the connection without a close handshake, as a client whose network went away.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
            catch (WebSocketException) { }
        }
        _socket.Dispose();
        _invoker?.Dispose();
    }
}
