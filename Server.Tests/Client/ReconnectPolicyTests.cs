using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>Backoff and jitter as numbers (no clock), and the reconnect loop against real servers with a clock
/// that records the delays instead of waiting them out.</summary>
public sealed class ReconnectPolicyTests
{
    [Fact]
    public void The_delay_doubles_from_the_initial_delay_up_to_the_maximum()
    {
        var policy = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), JitterFraction = 0 };
        var delays = Enumerable.Range(1, 7).Select(attempt => policy.DelayBefore(attempt, random: 0.9).TotalMilliseconds);
        Assert.Equal([100, 200, 400, 800, 1000, 1000, 1000], delays);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayBefore(10_000, 0.5)); // a long outage stays capped, no overflow
    }

    [Theory]
    [InlineData(0.0, 200)]  // the low end: 1 - jitter
    [InlineData(0.5, 400)]  // the middle: the plain backoff
    [InlineData(0.75, 500)]
    [InlineData(0.999999, 600)] // the high end: 1 + jitter
    public void Jitter_spreads_the_delay_by_the_fraction_either_way(double random, double expectedMs)
    {
        var policy = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(10), JitterFraction = 0.5 };
        Assert.Equal(expectedMs, policy.DelayBefore(3, random).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Jitter_never_exceeds_the_maximum_delay()
    {
        var policy = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(2), JitterFraction = 1 };
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayBefore(5, 0.999));
        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(5, 0));
    }

    [Fact]
    public void An_impossible_policy_is_refused()
    {
        var options = new ChatHubConnectionOptions { ServerUrl = new Uri("http://127.0.0.1:1"), AccessToken = "x" };
        Assert.Throws<ArgumentException>(() => new ChatHubConnection(options with { Reconnect = new ReconnectPolicy { Multiplier = 0.5 } }));
        Assert.Throws<ArgumentException>(() => new ChatHubConnection(options with { Reconnect = new ReconnectPolicy { MaxAttempts = 0 } }));
        Assert.Throws<ArgumentException>(() => new ChatHubConnection(options with
        {
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) },
        }));
    }

    [Fact]
    public async Task A_server_gone_for_good_ends_in_Closed_after_the_last_attempt_with_growing_jittered_delays()
    {
        var server = await ChatServer.StartAsync();
        var clock = new RecordingTimeProvider(fireImmediately: true);
        var draws = new Queue<double>([0.0, 0.25, 0.5, 0.75]);
        var policy = new ReconnectPolicy
        {
            InitialDelay = TimeSpan.FromMilliseconds(100), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(10), JitterFraction = 0.5,
            MaxAttempts = 4, TimeProvider = clock, NextRandom = draws.Dequeue,
        };
        await using var connection = new ChatHubConnection(new ChatHubConnectionOptions { ServerUrl = server.BaseUrl, AccessToken = server.AgentToken, Reconnect = policy });
        var log = new ConnectionEventLog(connection);
        await connection.StartAsync();

        await server.DisposeAsync(); // the port now refuses connections
        var error = await log.WaitFor("Closed");

        Assert.NotNull(error);
        Assert.Equal(["Reconnecting", "Closed"], log.Names);
        Assert.Equal(ChatHubConnectionState.Disconnected, connection.State);
        // attempt n waited 100 ms * 2^(n-1), scaled by 1 + 0.5 * (2 * draw - 1)
        Assert.Equal([50.0, 150.0, 400.0, 1000.0], clock.Delays.Select(d => Math.Round(d.TotalMilliseconds)));
        await Assert.ThrowsAsync<ChatHubConnectionClosedException>(() => connection.Hub.Ping(0));
    }

    [Fact]
    public async Task A_lost_socket_is_replaced_and_calls_work_again()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        await using var connection = new ChatHubConnection(new ChatHubConnectionOptions
        {
            ServerUrl = proxy.Url, AccessToken = server.AgentToken, Reconnect = ReliableApp.FastReconnect,
        });
        var log = new ConnectionEventLog(connection);
        await connection.StartAsync();
        var firstId = connection.ConnectionId;

        proxy.DropAll();
        var newId = (string?)await log.WaitFor("Reconnected");

        Assert.Equal(["Reconnecting", "Reconnected"], log.Names);
        Assert.Equal(ChatHubConnectionState.Connected, connection.State);
        Assert.NotEqual(firstId, newId);
        Assert.Equal(newId, connection.ConnectionId);
        Assert.True(await connection.Hub.Ping(0) > 0);
        Assert.IsAssignableFrom<Exception>(log.Events[0].Argument); // Reconnecting says why the socket was lost
    }

    [Fact]
    public async Task StopAsync_while_reconnecting_ends_it_with_Closed_and_fails_waiting_sends()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var clock = new RecordingTimeProvider(fireImmediately: false); // the first backoff never ends by itself
        var contact = await server.CreateContact();
        await using var app = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken, ReliableApp.FastReconnect with { TimeProvider = clock });
        var conversation = await app.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        proxy.DropAll();
        await app.Log.WaitFor("Reconnecting");
        var waiting = app.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "never sent" });
        Assert.Equal(ChatHubConnectionState.Reconnecting, app.Connection.State);

        await app.Connection.StopAsync();

        Assert.Null(await app.Log.WaitFor("Closed"));
        Assert.Equal(["Reconnecting", "Closed"], app.Log.Names);
        Assert.Equal(ChatHubConnectionState.Disconnected, app.Connection.State);
        Assert.Single(clock.Delays); // no attempt was made after the stop
        await Assert.ThrowsAsync<ChatHubConnectionClosedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_token_refused_on_reconnect_is_final()
    {
        await using var server = await ChatServer.StartAsync();
        await using var otherServer = await ChatServer.StartAsync(); // does not know the first server's tokens
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        await using var connection = new ChatHubConnection(new ChatHubConnectionOptions
        {
            ServerUrl = proxy.Url, AccessToken = server.AgentToken, Reconnect = ReliableApp.FastReconnect, // retries forever
        });
        var log = new ConnectionEventLog(connection);
        await connection.StartAsync();

        proxy.Target = otherServer.BaseUrl;
        proxy.DropAll();

        Assert.IsType<ChatHubUnauthorizedException>(await log.WaitFor("Closed"));
        Assert.Equal(["Reconnecting", "Closed"], log.Names);
        Assert.Equal(ChatHubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task Without_a_policy_a_lost_socket_closes_the_connection_as_before()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        await using var connection = new ChatHubConnection(new ChatHubConnectionOptions { ServerUrl = proxy.Url, AccessToken = server.AgentToken });
        var log = new ConnectionEventLog(connection);
        await connection.StartAsync();
        var acceptedBefore = proxy.Accepted;

        proxy.DropAll();

        Assert.NotNull(await log.WaitFor("Closed"));
        Assert.Equal(["Closed"], log.Names);
        Assert.Equal(acceptedBefore, proxy.Accepted); // no reconnect attempt reached the proxy
    }
}
