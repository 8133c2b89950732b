using ChatHub.Client;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>An app on a <see cref="ReliableChatConnection"/>: what its handlers were handed, in order, and
/// the connection's events. Reconnects fast, so tests do not wait on backoff.</summary>
public sealed class ReliableApp : IAsyncDisposable
{
    public static readonly ReconnectPolicy FastReconnect = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(100),
    };

    private ReliableApp(ReliableChatConnection connection)
    {
        Connection = connection;
        Seen = new RecordingClient();
        connection.On(Seen);
        Log = new ConnectionEventLog(connection);
    }

    public ReliableChatConnection Connection { get; }
    public RecordingClient Seen { get; }
    public ConnectionEventLog Log { get; }

    /// <param name="statefulReconnect">Off: every drop goes through Reconnecting, Reconnected and the catch-up,
    /// as a drop longer than stateful reconnect bridges does.</param>
    public static async Task<ReliableApp> ConnectAsync(Uri serverUrl, string token, IRetryPolicy? reconnect = null,
        bool statefulReconnect = true)
    {
        var builder = new HubConnectionBuilder().WithChatHub(serverUrl, token).WithAutomaticReconnect(reconnect ?? FastReconnect);
        if (statefulReconnect) builder.WithStatefulReconnect();
        var app = new ReliableApp(builder.BuildReliable());
        await app.Connection.StartAsync();
        return app;
    }

    /// <summary>The messages handed over as MessageCreated for one conversation, in the order handed over.</summary>
    public IReadOnlyList<MessageDto> CreatedIn(long conversationId) =>
        Seen.All<Pushed.MessageCreated>().Select(m => m.Message).Where(m => m.ConversationId == conversationId).ToList();

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
