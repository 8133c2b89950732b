using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>How a <see cref="ReliableChatConnection"/> reaches and watches the server; it builds the official
/// <see cref="HubConnection"/> from these.</summary>
public sealed record ReliableChatConnectionOptions
{
    /// <summary>The server's base address, e.g. <c>http://localhost:5000</c>; the hub path is appended.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>A contact's <c>pubsub_token</c> or an agent's <c>access_token</c>.</summary>
    public required string AccessToken { get; init; }

    /// <summary>When to retry after the connection is lost; null is <see cref="ReconnectPolicy.Default"/> (backoff
    /// with jitter until stopped). Any <see cref="IRetryPolicy"/> works; one that gives up closes the connection.</summary>
    public IRetryPolicy? Reconnect { get; init; }

    /// <summary>SignalR's stateful reconnect (on by default): a short drop to the same server process is bridged
    /// by the transport, which reconnects the WebSocket and replays what either side sent meanwhile; no
    /// Reconnecting event, nothing to fetch. Needs negotiation and the WebSockets transport.</summary>
    public bool StatefulReconnect { get; init; } = true;

    /// <summary>A ping is sent after this long without sending anything.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = HubConnection.DefaultKeepAliveInterval;

    /// <summary>The connection is considered lost after this long without hearing from the server (which pings
    /// every 15 s by default).</summary>
    public TimeSpan ServerTimeout { get; init; } = HubConnection.DefaultServerTimeout;

    /// <summary>Bounds the SignalR handshake after the transport is up.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = HubConnection.DefaultHandshakeTimeout;

    /// <summary>Anything else of the official connection: transports, <c>SkipNegotiation</c>, headers, a proxy.</summary>
    public Action<HttpConnectionOptions>? ConfigureHttp { get; init; }

    /// <summary>Where the connection, the official client included, logs; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The official connection these options describe, reconnecting with <paramref name="reconnect"/>.</summary>
    internal HubConnection BuildConnection(IRetryPolicy reconnect)
    {
        var builder = new HubConnectionBuilder()
            .WithChatHub(ServerUrl, AccessToken, ConfigureHttp)
            .WithAutomaticReconnect(reconnect)
            .WithKeepAliveInterval(KeepAliveInterval)
            .WithServerTimeout(ServerTimeout);
        if (StatefulReconnect)
        {
            builder.WithStatefulReconnect();
        }
        if (LoggerFactory is { } loggerFactory)
        {
            // Registered after the builder's own logging, so the connection resolves this one.
            builder.Services.AddSingleton(loggerFactory);
        }
        var connection = builder.Build();
        connection.HandshakeTimeout = HandshakeTimeout;
        return connection;
    }
}
