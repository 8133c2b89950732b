using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>How a <see cref="ChatHubConnection"/> reaches and watches the server.</summary>
public sealed record ChatHubConnectionOptions
{
    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:5000</c>; the hub path is appended.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>A contact's <c>pubsub_token</c> or an agent's <c>access_token</c>.</summary>
    public required string AccessToken { get; init; }

    /// <summary>Connect the WebSocket directly, without the negotiate request (no <see cref="ChatHubConnection.ConnectionId"/>).</summary>
    public bool SkipNegotiation { get; init; }

    /// <summary>A ping is sent after this long without sending anything. Zero or infinite turns pings off.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The connection is closed with a <see cref="TimeoutException"/> after this long without hearing
    /// from the server (the server pings every 15 s by default). Zero or infinite turns the check off.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounds the whole start: negotiate, WebSocket upgrade and SignalR handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Payload serialisation; null means the server's default (camelCase, case-insensitive reads).</summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; init; }

    /// <summary>Reconnect automatically after the socket is lost (not after <see cref="ChatHubConnection.StopAsync"/>,
    /// a refused token, or a server close that forbids it). Null (the default) never reconnects: the connection
    /// raises <see cref="ChatHubConnection.Closed"/> as soon as its socket ends.</summary>
    public ReconnectPolicy? Reconnect { get; init; }

    /// <summary>Where handler failures and connection events are logged; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
