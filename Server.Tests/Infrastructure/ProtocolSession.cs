using System.Net.WebSockets;
using ChatHub.Client;
using ChatHub.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A hub connection of the official .NET client over a chosen hub protocol, built as an app builds it
/// (<c>.WithChatHub(...)</c>, plus the official <c>.AddMessagePackProtocol()</c> for MessagePack), with its recorded
/// pushes and the WebSocket frames it received by kind, which show the protocol on the wire (MessagePack's frames are
/// binary, JSON's are text).</summary>
public sealed class ProtocolSession : IAsyncDisposable
{
    public const string Json = "json";

    private ProtocolSession(HubConnection connection, RecordingClient pushes, FrameCounts frames)
    {
        Connection = connection;
        Hub = new ChatHubProxy(connection);
        Pushes = pushes;
        Frames = frames;
    }

    public HubConnection Connection { get; }
    public ChatHubProxy Hub { get; }
    public RecordingClient Pushes { get; }
    public FrameCounts Frames { get; }

    public static Task<ProtocolSession> MessagePackAsync(ChatServer server, string token) => ConnectAsync(server.BaseUrl, token, HubMessagePack.ProtocolName);

    public static Task<ProtocolSession> JsonAsync(ChatServer server, string token) => ConnectAsync(server.BaseUrl, token, Json);

    /// <summary>Connected (WebSockets) and answering calls: the handshake answer means the connection is in its groups
    /// (on every node behind Redis); the Ping makes sure the hub answers.</summary>
    public static async Task<ProtocolSession> ConnectAsync(Uri serverUrl, string token, string protocol)
    {
        var frames = new FrameCounts();
        var builder = new HubConnectionBuilder().WithChatHub(serverUrl, token, http =>
        {
            http.Transports = HttpTransportType.WebSockets;
            http.WebSocketFactory = async (context, cancellationToken) =>
            {
                var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
                await socket.ConnectAsync(context.Uri, cancellationToken);
                return new CountingWebSocket(socket, frames);
            };
        });
        if (protocol == HubMessagePack.ProtocolName) builder.AddMessagePackProtocol();
        var connection = builder.Build();
        var pushes = new RecordingClient();
        connection.On(pushes);
        try
        {
            await connection.StartAsync();
            await new ChatHubProxy(connection).PingAsync(0);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new ProtocolSession(connection, pushes, frames);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    /// <summary>Whole WebSocket messages received, by kind.</summary>
    public sealed class FrameCounts
    {
        private int _binary;
        private int _text;

        public int Binary => Volatile.Read(ref _binary);
        public int Text => Volatile.Read(ref _text);

        internal void Count(WebSocketMessageType type, bool endOfMessage)
        {
            if (!endOfMessage) return;
            if (type == WebSocketMessageType.Binary) Interlocked.Increment(ref _binary);
            else if (type == WebSocketMessageType.Text) Interlocked.Increment(ref _text);
        }
    }

    /// <summary>The client's socket as it is, counting what it receives.</summary>
    private sealed class CountingWebSocket(ClientWebSocket inner, FrameCounts frames) : WebSocket
    {
        public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;
        public override string? CloseStatusDescription => inner.CloseStatusDescription;
        public override WebSocketState State => inner.State;
        public override string? SubProtocol => inner.SubProtocol;
        public override void Abort() => inner.Abort();
        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            inner.CloseAsync(closeStatus, statusDescription, cancellationToken);
        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);
        public override void Dispose() => inner.Dispose();

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            var result = await inner.ReceiveAsync(buffer, cancellationToken);
            frames.Count(result.MessageType, result.EndOfMessage);
            return result;
        }

        public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var result = await inner.ReceiveAsync(buffer, cancellationToken);
            frames.Count(result.MessageType, result.EndOfMessage);
            return result;
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
    }
}
