using ChatHub.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>One real connection of the official SignalR .NET client to a test server, with our typed proxy and
/// its recorded pushes. No automatic reconnect: a test of the server sees a lost connection as it is.</summary>
public sealed class HubSession : IAsyncDisposable
{
    private HubSession(HubConnection connection, RecordingClient pushes)
    {
        Connection = connection;
        Hub = new ChatHubProxy(connection);
        Pushes = pushes;
    }

    public HubConnection Connection { get; }
    public ChatHubProxy Hub { get; }
    public RecordingClient Pushes { get; }

    /// <param name="forwardedFor">The client's address as a proxy on loopback reports it (X-Forwarded-For, which the
    /// server trusts from loopback); null: the test's own.</param>
    public static Task<HubSession> ConnectAsync(ChatServer server, string token, bool skipNegotiation = false, string? forwardedFor = null) =>
        ConnectAsync(server.BaseUrl, token, skipNegotiation, forwardedFor);

    /// <summary>To any server by its address (a <see cref="ServerProcess"/>).</summary>
    public static async Task<HubSession> ConnectAsync(Uri serverUrl, string token, bool skipNegotiation = false, string? forwardedFor = null)
    {
        var connection = Build(serverUrl, token, skipNegotiation, forwardedFor);
        var pushes = new RecordingClient();
        connection.On(pushes);
        try
        {
            await connection.StartAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new HubSession(connection, pushes);
    }

    /// <summary>An official connection to the hub; skipping negotiation means WebSockets only.</summary>
    public static HubConnection Build(Uri serverUrl, string token, bool skipNegotiation = false, string? forwardedFor = null) =>
        new HubConnectionBuilder()
            .WithChatHub(serverUrl, token, http =>
            {
                if (forwardedFor is not null) http.Headers["X-Forwarded-For"] = forwardedFor;
                if (skipNegotiation)
                {
                    http.SkipNegotiation = true;
                    http.Transports = HttpTransportType.WebSockets;
                }
            })
            .Build();

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
