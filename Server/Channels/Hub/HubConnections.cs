using System.Collections.Concurrent;
using System.IO.Pipelines;
using ChatHub.Contracts;
using ChatHub.Server.ScaleOut;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace ChatHub.Server.Channels.Hub;

/// <summary>The connection middleware in front of the hub (<c>MapConnections(...).UseHub&lt;ChatHub&gt;()</c>, see
/// HubChannel.MapHubChannel): every hub connection of this node passes through <see cref="RunAsync"/>, which puts a
/// <see cref="HandshakeGate"/> on its output (opened by <see cref="ChatHub.OnConnectedAsync"/> once the connection is
/// in its groups, on every node) and keeps it in a registry, so <see cref="CloseAll"/> can make every client of this
/// node reconnect (and resync) after a backplane outage.
/// <para>While Redis is away, SignalR's backplane delivers nothing, not even between connections of one node, and
/// after it returns a push can still miss a node that has not subscribed again yet. So each time this node's backplane
/// turns healthy again, every hub connection of this node is closed with "reconnect allowed": its client reconnects
/// (to any node) and fetches what it missed with GetMessages {afterSeq}, as API.md asks of clients. Whatever another
/// node pushed before this node was back is committed before that fetch, and everything after reaches the new
/// connection. At a node's start the first healthy moment closes nothing: hub connections are refused until
/// then.</para></summary>
public sealed class HubConnections
{
    /// <summary>Behind a backplane, how long a client waits for its handshake answer at most: a connection not in its
    /// groups by then (Redis slow or gone) is refused with "unavailable", below the 5 s a client may be kept waiting.
    /// A single node joins groups in memory and waits for nothing.</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(4);

    private readonly ConcurrentDictionary<string, ConnectionContext> _open = new(StringComparer.Ordinal);
    private readonly ILogger<HubConnections> _logger;
    private readonly IBackplaneStatus? _backplane;

    public HubConnections(ILogger<HubConnections> logger, IBackplaneStatus? backplane = null)
    {
        _logger = logger;
        _backplane = backplane;
        if (backplane is not null) backplane.BecameHealthy += CloseAllAfterOutage;
    }

    /// <summary>Connections of this node between their transport's start and end.</summary>
    public int Count => _open.Count;

    public async Task RunAsync(ConnectionContext connection, Func<Task> next)
    {
        var transport = connection.Transport;
        var gate = new HandshakeGate(transport.Output);
        connection.Transport = new DuplexPipe(transport.Input, gate);
        connection.Features.Set(gate);
        _open[connection.ConnectionId] = connection;
        using var joinTimeout = new CancellationTokenSource(_backplane is null ? Timeout.InfiniteTimeSpan : JoinTimeout);
        using var refuseLate = joinTimeout.Token.Register(() =>
        {
            if (gate.Refuse($"{ErrorCodes.Unavailable}: the server could not complete the connection in time; try again"))
                _logger.LogWarning("A hub connection was refused: it was not in its groups after {Seconds} s", JoinTimeout.TotalSeconds);
        });
        try
        {
            await next();
        }
        finally
        {
            _open.TryRemove(connection.ConnectionId, out _);
            // Ended without opening: SignalR refused the handshake (its answer goes out as is), or the hub could not
            // join the connection's groups (the client is told "unavailable" instead of a handshake and a close).
            gate.End($"{ErrorCodes.Unavailable}: the server could not complete the connection; try again");
        }
    }

    /// <summary>Asks every connection open now to close with "reconnect allowed" (SignalR's close message, as at a
    /// server shutdown): clients that follow API.md reconnect and fetch what they missed with GetMessages {afterSeq}.
    /// Returns how many were asked.</summary>
    public int CloseAll()
    {
        var closed = 0;
        foreach (var connection in _open.Values)
        {
            if (connection.Features.Get<IConnectionLifetimeNotificationFeature>() is { } lifetime)
            {
                lifetime.RequestClose();
            }
            else
            {
                connection.Abort(new ConnectionAbortedException("closed so that the client reconnects and resyncs"));
            }
            closed++;
        }
        return closed;
    }

    private void CloseAllAfterOutage()
    {
        var closed = CloseAll();
        if (closed > 0) _logger.LogInformation("Redis is back: {Count} hub connections were closed so that their clients reconnect and resync", closed);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
