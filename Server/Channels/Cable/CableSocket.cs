using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Common;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Cable;

/// <summary>One /cable socket: ActionCable's frames in and out, nothing else. Whether a subscription may exist is
/// <see cref="RoomChannel"/>'s and the connection admission's (each subscription is an open connection of its
/// contact or agent: a change of rights closes the socket, or, for an agent removed from an inbox, stops that inbox's
/// stream); what it may receive is the sinks'. Broadcasts reach this socket
/// because it is a member, in <see cref="CableHub"/>'s lifetime manager, of the groups of its subscriptions' streams
/// (so behind Redis they come from every node). Commands are handled one at a time in arrival order, so a subscribe
/// repeated before its confirmation finds the first one and is a no-op. A socket with no subscription confirmed within
/// Limits:CableSubscribeTimeoutSeconds is closed: until then it is anyone's, holding a descriptor and a slot of the
/// <see cref="ConnectionBudget"/> (its first subscription makes it a contact's or an agent's there).</summary>
public sealed class CableSocket
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(3);
    /// <summary>Subscriptions one socket may hold (Chatwoot's clients hold one): each is a copy of its stream's
    /// broadcasts, so a client cannot multiply what the server writes for it without end.</summary>
    public const int MaxSubscriptions = 8;
    private static readonly byte[] Welcome = """{"type":"welcome"}"""u8.ToArray();
    /// <summary>How long a client told to close for lack of a subscription may take to answer before it is cut off.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private static readonly byte[] ServerRestart = """{"type":"disconnect","reason":"server_restart","reconnect":true}"""u8.ToArray();
    /// <summary>ActionCable's answer to a connection it no longer accepts; the official client does not reconnect.</summary>
    private static readonly byte[] Unauthorized = """{"type":"disconnect","reason":"unauthorized","reconnect":false}"""u8.ToArray();

    private readonly WebSocket _socket;
    private readonly ConnectionSlot _slot;
    private readonly TimeSpan _subscribeTimeout;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RoomChannel _room;
    private readonly ConnectionAdmission _admission;
    private readonly HubLifetimeManager<CableHub> _lifetime;
    private readonly RateLimits _rateLimits;
    private readonly int _maxFrameBytes;
    private readonly ILogger<CableSocket> _logger;
    private readonly CancellationToken _stopping;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly Pipe _broadcasts;
    private readonly long _maxUnsent;
    private long _unsent; // bytes written to _broadcasts and not yet sent
    private readonly HubConnectionContext _member;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Lock _subscriptionsLock = new();
    private readonly Dictionary<string, RoomSubscription> _subscriptions = new(StringComparer.Ordinal); // by identifier
    private RealtimeCaller? _kind; // whose socket it is, from its first confirmed subscription (commands run one at a time)

    public CableSocket(WebSocket socket, ConnectionSlot slot, RoomChannel room, ConnectionAdmission admission,
        HubLifetimeManager<CableHub> lifetime, CableWireProtocol protocol, RateLimits rateLimits, ChatLimits limits, ILoggerFactory loggers,
        CancellationToken stopping)
    {
        _socket = socket;
        _slot = slot;
        _subscribeTimeout = TimeSpan.FromSeconds(limits.CableSubscribeTimeoutSeconds);
        _room = room;
        _admission = admission;
        _lifetime = lifetime;
        _rateLimits = rateLimits;
        _maxFrameBytes = limits.MaxHubMessageBytes;
        _logger = loggers.CreateLogger<CableSocket>();
        _stopping = stopping;
        // What the lifetime manager writes for this socket waits here for the send loop. Writes never wait (a stalled
        // client must not hold up its stream's other sockets); instead, as the hub's SlowReaderGuard does, a socket with
        // more than MaxUnsentBytesPerConnection waiting when another broadcast comes is closed (0 = no bound).
        _maxUnsent = limits.MaxUnsentBytesPerConnection;
        _broadcasts = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
        var pipe = new DuplexPipe(PipeReader.Create(Stream.Null), new CountingWriter(_broadcasts.Writer, this));
        _member = new HubConnectionContext(new DefaultConnectionContext(_id, pipe, pipe),
            new HubConnectionContextOptions { MaximumParallelInvocations = 1, StreamBufferCapacity = 1 }, loggers) { Protocol = protocol };
    }

    /// <summary>Closed because no subscription was confirmed in time.</summary>
    public bool ClosedUnsubscribed { get; private set; }

    public async Task RunAsync(CancellationToken aborted)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        await _lifetime.OnConnectedAsync(_member);
        Task broadcasts = Task.CompletedTask, pings = Task.CompletedTask, deadline = Task.CompletedTask;
        try
        {
            await SendAsync(Welcome);
            broadcasts = ForwardBroadcastsAsync();
            pings = PingAsync(running.Token);
            if (_subscribeTimeout > TimeSpan.Zero) deadline = CloseUnlessSubscribedAsync(running);
            // On shutdown the client is told to come back (to this node once restarted, or another); the receive loop
            // ends when it answers the close.
            await using var goodbye = _stopping.Register(() => _ = RequestReconnectAsync());
            await ReceiveAsync(running.Token);
        }
        finally
        {
            List<RoomSubscription> ended;
            lock (_subscriptionsLock)
            {
                ended = _subscriptions.Values.ToList();
                _subscriptions.Clear();
            }
            foreach (var subscription in ended) subscription.End(_admission);
            await _lifetime.OnDisconnectedAsync(_member);
            await running.CancelAsync();
            // Not completing the writer: a write of the lifetime manager may still be under way; it lands in a pipe
            // nobody reads any more.
            _broadcasts.Reader.CancelPendingRead();
            await Task.WhenAll(broadcasts, pings, deadline);
            await _broadcasts.Reader.CompleteAsync();
        }
    }

    /// <summary>Tells the client to reconnect (on shutdown, and after a backplane outage), then closes.</summary>
    public async Task RequestReconnectAsync()
    {
        await SendAsync(ServerRestart);
        await CloseAsync(WebSocketCloseStatus.EndpointUnavailable);
    }

    /// <summary>Closes the socket when no subscription was confirmed within the deadline; a client that does not answer
    /// the close is cut off after <see cref="CloseGrace"/> (its receive is cancelled, which aborts the socket).</summary>
    private async Task CloseUnlessSubscribedAsync(CancellationTokenSource running)
    {
        try
        {
            await _subscribed.Task.WaitAsync(_subscribeTimeout, running.Token);
            return;
        }
        catch (TimeoutException) { }
        catch (OperationCanceledException) { return; }
        ClosedUnsubscribed = true;
        _logger.LogDebug("/cable socket closed: no subscription within {Seconds} s", _subscribeTimeout.TotalSeconds);
        await CloseAsync(WebSocketCloseStatus.PolicyViolation, "no subscription in time");
        try { await Task.Delay(CloseGrace, running.Token); }
        catch (OperationCanceledException) { return; }
        await running.CancelAsync();
    }

    private async Task ReceiveAsync(CancellationToken aborted)
    {
        var frame = new ArrayBufferWriter<byte>();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try { result = await _socket.ReceiveAsync(frame.GetMemory(4096), aborted); }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { return; }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure);
                return;
            }
            if (_socket.State != WebSocketState.Open) return;
            frame.Advance(result.Count);
            if (frame.WrittenCount > _maxFrameBytes)
            {
                await CloseAsync(WebSocketCloseStatus.MessageTooBig);
                return;
            }
            if (!result.EndOfMessage) continue;
            await HandleAsync(frame.WrittenMemory);
            frame.ResetWrittenCount();
        }
    }

    /// <summary>One command (ActionCable ignores what it cannot read, and so does this).</summary>
    private async Task HandleAsync(ReadOnlyMemory<byte> frame)
    {
        string? command, identifier;
        JsonElement data;
        try
        {
            using var doc = JsonDocument.Parse(frame);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return;
            command = StringOf(root, "command");
            identifier = StringOf(root, "identifier");
            data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
        }
        catch (JsonException)
        {
            return;
        }
        if (command is null || identifier is null) return;
        try { _rateLimits.Check(RateLimitedAction.CableCommand, "cable:" + _id); }
        catch (ChatException)
        {
            _logger.LogDebug("/cable command dropped: over the connection's budget");
            return;
        }
        switch (command)
        {
            case "subscribe": await SubscribeAsync(identifier); break;
            case "unsubscribe": await UnsubscribeAsync(identifier); break;
            case "message": await PerformAsync(identifier, data); break;
        }
    }

    private async Task SubscribeAsync(string identifier)
    {
        RoomSubscription? subscription = new(this, identifier);
        lock (_subscriptionsLock)
        {
            if (_subscriptions.ContainsKey(identifier)) return;
            if (_subscriptions.Count < MaxSubscriptions) _subscriptions[identifier] = subscription;
            else subscription = null;
        }
        // Listed before it is admitted, so that broadcasts of its streams are forwarded from the moment it joins them. A
        // confirmed subscription makes the socket a contact's or an agent's in the budget (a contact's unless that address
        // has its fill of them); a socket is one kind's, so a subscription as the other kind is refused.
        var caller = subscription is null ? null : await _room.AuthenticateAsync(identifier);
        var kind = caller is { IsAgent: true } ? RealtimeCaller.Agent : RealtimeCaller.Contact;
        if (caller is not null && (_kind is null || _kind == kind) && _slot.TryBecome(kind))
        {
            _kind = kind;
            subscription!.Connection = await _admission.AdmitAsync(caller, subscription);
        }
        if (subscription?.Connection is null)
        {
            if (subscription is not null) await UnsubscribeAsync(identifier);
            await SendAsync(Frame(identifier, "reject_subscription"));
            return;
        }
        _subscribed.TrySetResult();
        await SendAsync(Frame(identifier, "confirm_subscription"));
        await SendAsync(Broadcast(identifier, await _room.PresenceAsync(caller!)));
    }

    private async Task UnsubscribeAsync(string identifier)
    {
        RoomSubscription? subscription;
        lock (_subscriptionsLock)
            if (!_subscriptions.Remove(identifier, out subscription)) return;
        subscription.End(_admission);
        foreach (var stream in subscription.Streams) await LeaveIfUnusedAsync(stream);
    }

    /// <summary>Leaves a stream's group unless another subscription of this socket still listens to it.</summary>
    private Task LeaveIfUnusedAsync(string stream)
    {
        lock (_subscriptionsLock)
            if (_subscriptions.Values.Any(s => s.Streams.Contains(stream))) return Task.CompletedTask;
        return _lifetime.RemoveFromGroupAsync(_id, stream);
    }

    /// <summary>A subscription's caller may no longer act: its streams stop at once, and the socket is told why and
    /// closed (it is one client's, normally with this one subscription).</summary>
    private void Revoke(string identifier)
    {
        RoomSubscription? revoked;
        lock (_subscriptionsLock) _subscriptions.Remove(identifier, out revoked);
        revoked?.End(_admission); // released once, here: the socket's end no longer sees it (an agent's presence counts it)
        _ = RevokeAsync();
    }

    private async Task RevokeAsync()
    {
        await SendAsync(Unauthorized);
        await CloseAsync(WebSocketCloseStatus.PolicyViolation);
    }

    /// <summary>RoomChannel's action, <c>update_presence</c>, and ChatHub's <c>sneak_peek</c> (a contact's, issue 27);
    /// <c>data</c> is a JSON string (the official client) or an object (the Flutter SDK).</summary>
    private async Task PerformAsync(string identifier, JsonElement data)
    {
        RoomSubscription? subscription;
        lock (_subscriptionsLock) _subscriptions.TryGetValue(identifier, out subscription);
        if (subscription?.Connection is not { IsRevoked: false } connection) return;
        switch (ActionOf(data))
        {
            case "update_presence":
                await SendAsync(Broadcast(identifier, await _room.PresenceAsync(connection.Caller)));
                break;
            case RoomChannel.SneakPeekAction:
                // Rate limited per socket, as the hub's are per connection.
                await _room.SneakPeekAsync(connection.Caller with { ConnectionId = "cable:" + _id }, data);
                break;
        }
    }

    /// <summary>Writes each broadcast the lifetime manager hands this socket once per subscription of its stream.</summary>
    private async Task ForwardBroadcastsAsync()
    {
        var reader = _broadcasts.Reader;
        while (true)
        {
            var read = await reader.ReadAsync();
            var buffer = read.Buffer;
            var length = buffer.Length;
            while (CableWireProtocol.TryReadRecord(ref buffer, out var stream, out var exceptAgentId, out var message))
            {
                List<string> identifiers;
                lock (_subscriptionsLock)
                    identifiers = _subscriptions.Where(s => s.Value.Hears(stream) && !s.Value.IsAgent(exceptAgentId)).Select(s => s.Key).ToList();
                foreach (var identifier in identifiers) await SendAsync(Broadcast(identifier, Encoding.UTF8.GetString(message)));
            }
            Interlocked.Add(ref _unsent, buffer.Length - length);
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted || read.IsCanceled) return;
        }
    }

    private async Task PingAsync(CancellationToken done)
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
                await SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"ping","message":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}"""));
        }
        catch (OperationCanceledException) { }
    }

    private async Task SendAsync(byte[] frame)
    {
        await _sending.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "/cable send failed: the socket is closing");
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string? description = null)
    {
        await _sending.WaitAsync();
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(status, description, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException) { }
        finally
        {
            _sending.Release();
        }
    }

    private static byte[] Frame(string identifier, string type) => Write(w =>
    {
        w.WriteString("identifier", identifier);
        w.WriteString("type", type);
    });

    private static byte[] Broadcast(string identifier, string message) => Write(w =>
    {
        w.WriteString("identifier", identifier);
        w.WritePropertyName("message");
        w.WriteRawValue(message, skipInputValidation: true);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? ActionOf(JsonElement data)
    {
        try
        {
            if (data.ValueKind == JsonValueKind.String)
            {
                using var doc = JsonDocument.Parse(data.GetString()!);
                return doc.RootElement.ValueKind == JsonValueKind.Object ? StringOf(doc.RootElement, "action") : null;
            }
            return data.ValueKind == JsonValueKind.Object ? StringOf(data, "action") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Written(int bytes)
    {
        if (Interlocked.Add(ref _unsent, bytes) <= _maxUnsent || _maxUnsent <= 0) return;
        _logger.LogInformation("/cable socket closed: its client is not reading (more than {Max} bytes waiting)", _maxUnsent);
        _socket.Abort();
    }

    /// <summary>The lifetime manager's writer for this socket: counts what waits to be sent.</summary>
    private sealed class CountingWriter(PipeWriter inner, CableSocket owner) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            inner.Advance(bytes);
            owner.Written(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }

    /// <summary>One subscription of this socket, as the access rules drive it: its streams are this socket's groups in
    /// the lifetime manager; closing it revokes the subscription.</summary>
    private sealed class RoomSubscription(CableSocket socket, string identifier) : IConnectionControl
    {
        private readonly HashSet<string> _streams = new(StringComparer.Ordinal);

        public OpenConnection? Connection { get; set; }

        /// <summary>Whether this is the subscription of that agent (a broadcast it is left out of).</summary>
        public bool IsAgent(long? agentId) => agentId is { } id && Connection?.Caller is { IsAgent: true } caller && caller.Id == id;

        public bool Hears(string stream)
        {
            lock (_streams) return _streams.Contains(stream);
        }

        public IReadOnlyList<string> Streams
        {
            get { lock (_streams) return _streams.ToList(); }
        }

        public void End(ConnectionAdmission admission)
        {
            if (Connection is { } connection) admission.Release(connection);
        }

        public void Close() => socket.Revoke(identifier);

        public Task JoinAsync(string stream)
        {
            lock (_streams) _streams.Add(stream);
            return socket._lifetime.AddToGroupAsync(socket._id, stream);
        }

        public Task LeaveAsync(string stream)
        {
            lock (_streams) _streams.Remove(stream);
            return socket.LeaveIfUnusedAsync(stream);
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
