using System.Net;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>Backoff and jitter as numbers (no clock), and reconnecting on the official client with our policy
/// against real servers, with a policy wrapper that records the delays the connection asked for.</summary>
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
    public void The_default_retries_until_stopped_and_any_policy_gives_up_on_a_refused_token()
    {
        Assert.NotNull(ReconnectPolicy.Default.NextRetryDelay(new RetryContext { PreviousRetryCount = 1_000_000, RetryReason = new IOException() }));
        var limited = new ReconnectPolicy { MaxAttempts = 2, JitterFraction = 0 };
        Assert.Equal(TimeSpan.FromMilliseconds(500), limited.NextRetryDelay(new RetryContext { PreviousRetryCount = 0 }));
        Assert.Equal(TimeSpan.FromSeconds(1), limited.NextRetryDelay(new RetryContext { PreviousRetryCount = 1 }));
        Assert.Null(limited.NextRetryDelay(new RetryContext { PreviousRetryCount = 2 }));
        var refused = new HttpRequestException("401", null, HttpStatusCode.Unauthorized);
        Assert.Null(ReconnectPolicy.Default.NextRetryDelay(new RetryContext { PreviousRetryCount = 1, RetryReason = refused }));
    }

    [Fact]
    public void An_impossible_policy_is_refused()
    {
        static ReliableChatConnection Build(ReconnectPolicy policy) =>
            new HubConnectionBuilder().WithChatHub(new Uri("http://127.0.0.1:1"), "x").WithAutomaticReconnect(policy).BuildReliable();
        Assert.Throws<ArgumentException>(() => Build(new ReconnectPolicy { Multiplier = 0.5 }));
        Assert.Throws<ArgumentException>(() => Build(new ReconnectPolicy { MaxAttempts = 0 }));
        Assert.Throws<ArgumentException>(() => Build(new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) }));
    }

    [Fact]
    public async Task A_server_gone_for_good_ends_in_Closed_after_the_last_attempt_with_growing_jittered_delays()
    {
        var server = await ChatServer.StartAsync();
        var draws = new Queue<double>([0.0, 0.25, 0.5, 0.75]);
        var policy = new RecordingRetryPolicy(new ReconnectPolicy
        {
            InitialDelay = TimeSpan.FromMilliseconds(10), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(10), JitterFraction = 0.5,
            MaxAttempts = 4, NextRandom = draws.Dequeue,
        });
        await using var app = await ReliableApp.ConnectAsync(server.BaseUrl, server.AgentToken, policy);

        await server.DisposeAsync(); // the port now refuses connections
        var error = await app.Log.WaitFor("Closed");

        Assert.NotNull(error);
        Assert.IsNotType<OperationCanceledException>(error); // the last attempt's error, not "retries exhausted"
        Assert.Equal(["Reconnecting", "Closed"], app.Log.Names);
        Assert.Equal(HubConnectionState.Disconnected, app.Connection.State);
        // attempt n waited 10 ms * 2^(n-1), scaled by 1 + 0.5 * (2 * draw - 1); then the policy gave up
        Assert.Equal([5.0, 15.0, 40.0, 100.0], policy.Delays.Select(d => Math.Round(d.TotalMilliseconds)));
        Assert.Equal([0L, 1, 2, 3, 4], policy.Calls.Select(c => c.PreviousRetryCount));
        await Assert.ThrowsAsync<ChatHubConnectionClosedException>(() => app.Connection.PingAsync(0));
        await Assert.ThrowsAsync<ChatHubConnectionClosedException>(() =>
            app.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = 1, Content = "too late" }));
    }

    [Fact]
    public async Task A_connection_lost_for_longer_than_a_stateful_reconnect_is_replaced_and_calls_work_again()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        await using var app = await ReliableApp.ConnectAsync(proxy.Url, server.AgentToken);
        var firstId = app.Connection.ConnectionId;

        proxy.RefuseConnections = true; // the stateful reconnect's one attempt fails too
        proxy.DropAll();
        await app.Log.WaitFor("Reconnecting");
        proxy.RefuseConnections = false;
        var newId = (string?)await app.Log.WaitFor("Reconnected");

        Assert.Equal(["Reconnecting", "Reconnected"], app.Log.Names);
        Assert.Equal(HubConnectionState.Connected, app.Connection.State);
        Assert.NotEqual(firstId, newId);
        Assert.Equal(newId, app.Connection.ConnectionId);
        Assert.True(await app.Connection.PingAsync(0) > 0);
    }

    [Fact]
    public async Task A_reliable_connection_built_without_a_policy_reconnects_with_the_default()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        await using var connection = new HubConnectionBuilder().WithChatHub(proxy.Url, server.AgentToken).BuildReliable();
        var log = new ConnectionEventLog(connection);
        await connection.StartAsync();
        var firstId = connection.ConnectionId;

        proxy.DropAll();
        var newId = (string?)await log.WaitFor("Reconnected");

        Assert.Equal(["Reconnecting", "Reconnected"], log.Names);
        Assert.NotEqual(firstId, newId);
        Assert.True(await connection.PingAsync(0) > 0);
    }

    [Fact]
    public async Task StopAsync_while_reconnecting_ends_it_with_Closed_and_fails_waiting_sends()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        // The first backoff never ends by itself within the test.
        var policy = new RecordingRetryPolicy(new ReconnectPolicy { InitialDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1) });
        var contact = await server.CreateContact();
        await using var app = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken, policy);
        var conversation = await app.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        proxy.RefuseConnections = true;
        proxy.DropAll();
        await app.Log.WaitFor("Reconnecting");
        var waiting = app.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "never sent" });
        Assert.Equal(HubConnectionState.Reconnecting, app.Connection.State);

        await app.Connection.StopAsync();

        Assert.Null(await app.Log.WaitFor("Closed"));
        Assert.Equal(["Reconnecting", "Closed"], app.Log.Names);
        Assert.Equal(HubConnectionState.Disconnected, app.Connection.State);
        Assert.Single(policy.Calls); // no attempt was made after the stop
        await Assert.ThrowsAsync<ChatHubConnectionClosedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_token_refused_on_reconnect_is_final()
    {
        await using var server = await ChatServer.StartAsync();
        await using var otherServer = await ChatServer.StartAsync(); // does not know the first server's tokens
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        await using var app = await ReliableApp.ConnectAsync(proxy.Url, server.AgentToken); // retries until stopped

        proxy.Target = otherServer.BaseUrl;
        proxy.DropAll();

        var error = await app.Log.WaitFor("Closed");
        Assert.IsType<ChatHubUnauthorizedException>(error);
        Assert.Equal(["Reconnecting", "Closed"], app.Log.Names);
        Assert.Equal(HubConnectionState.Disconnected, app.Connection.State);
    }

    [Fact]
    public async Task A_server_restart_is_met_by_a_reconnect_that_catches_up_what_was_sent_meanwhile()
    {
        var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        proxy.RefuseConnections = true;
        await server.DisposeAsync();
        await customer.Log.WaitFor("Reconnecting");
        await using var restarted = await ChatServer.StartAsync(server.DbPath, agentToken: server.AgentToken,
            inboxIdentifier: server.InboxIdentifier, hmacToken: server.HmacToken);
        await using (var agent = await HubSession.ConnectAsync(restarted, restarted.AgentToken))
        {
            await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "while you were away" });
        }
        proxy.Target = restarted.BaseUrl;
        proxy.RefuseConnections = false;
        await customer.Log.WaitFor("Reconnected");
        var after = await customer.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "back" });

        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, ["while you were away", "back"]);
        Assert.Equal(["hi", "while you were away", "back"], handedOver.Select(m => m.Content));
        Assert.Equal([1L, 2L, 3L], handedOver.Select(m => m.Seq));
        Assert.Equal(3, after.Seq);
        Assert.True(customer.Connection.CatchUpFetches > 0); // the new process knew nothing of the old connection
    }

    [Fact]
    public async Task The_official_connection_without_automatic_reconnect_closes_when_its_socket_is_lost()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        await using var connection = HubSession.Build(proxy.Url, server.AgentToken);
        var log = new ConnectionEventLog(connection);
        await connection.StartAsync();
        var acceptedBefore = proxy.Accepted;

        proxy.DropAll();

        await log.WaitFor("Closed"); // with or without an error: that is the official client's to say
        Assert.Equal(["Closed"], log.Names);
        Assert.Equal(acceptedBefore, proxy.Accepted); // no reconnect attempt reached the proxy
    }
}
