using ChatHub.Client;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>One real WebSocket connection of our .NET client to a test server, with its recorded pushes.</summary>
public sealed class HubSession : IAsyncDisposable
{
    private HubSession(ChatHubConnection connection, RecordingClient pushes)
    {
        Connection = connection;
        Pushes = pushes;
    }

    public ChatHubConnection Connection { get; }
    public ChatHubProxy Hub => Connection.Hub;
    public RecordingClient Pushes { get; }

    public static async Task<HubSession> ConnectAsync(ChatServer server, string token, bool skipNegotiation = false)
    {
        var connection = new ChatHubConnection(new ChatHubConnectionOptions
        {
            ServerUrl = server.BaseUrl,
            AccessToken = token,
            SkipNegotiation = skipNegotiation,
        });
        var pushes = new RecordingClient();
        connection.On(pushes);
        await connection.StartAsync();
        return new HubSession(connection, pushes);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
