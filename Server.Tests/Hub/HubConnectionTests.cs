using System.Net;
using System.Net.WebSockets;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

public sealed class HubConnectionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Contact_and_agent_tokens_connect_with_and_without_negotiation(bool skipNegotiation)
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        await using var customer = await HubSession.ConnectAsync(server, contact.PubsubToken, skipNegotiation);
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken, skipNegotiation);
        Assert.Equal(HubConnectionState.Connected, customer.Connection.State);
        Assert.Equal(HubConnectionState.Connected, agent.Connection.State);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("not-a-token", false)]
    [InlineData("not-a-token", true)]
    public async Task A_missing_or_wrong_token_is_refused_with_401(string token, bool skipNegotiation)
    {
        await using var server = await ChatServer.StartAsync();
        AssertRefusedWith401(await Assert.ThrowsAnyAsync<Exception>(() => HubSession.ConnectAsync(server, token, skipNegotiation)));
    }

    [Fact]
    public async Task A_contacts_pubsub_token_of_another_server_is_refused()
    {
        await using var one = await ChatServer.StartAsync();
        await using var other = await ChatServer.StartAsync();
        var contact = await one.CreateContact();
        AssertRefusedWith401(await Assert.ThrowsAnyAsync<Exception>(() => HubSession.ConnectAsync(other, contact.PubsubToken)));
        var app = new HubConnectionBuilder().WithChatHub(other.BaseUrl, contact.PubsubToken).BuildReliable();
        await using (app)
        {
            await Assert.ThrowsAsync<ChatHubUnauthorizedException>(() => app.StartAsync()); // the app's terms for it
        }
    }

    [Fact]
    public async Task Negotiate_offers_stateful_reconnect_to_a_client_that_asks_for_it()
    {
        await using var server = await ChatServer.StartAsync();
        using var http = server.BearerHttp(server.AgentToken);

        using var asked = await http.PostAsync("/hubs/chat/negotiate?negotiateVersion=1&useStatefulReconnect=true", null);
        asked.EnsureSuccessStatusCode();
        Assert.Contains("\"useStatefulReconnect\":true", await asked.Content.ReadAsStringAsync());

        using var notAsked = await http.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null);
        notAsked.EnsureSuccessStatusCode();
        Assert.DoesNotContain("\"useStatefulReconnect\":true", await notAsked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ping_answers_the_servers_clock()
    {
        await using var scene = await ChatScene.StartAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var serverTime = await scene.Customer.Hub.PingAsync(before);
        Assert.InRange(serverTime, before - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000);
    }

    [Fact]
    public async Task A_hub_message_over_64_KB_closes_only_that_connection()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hi");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        scene.Customer.Connection.Closed += error => { closed.TrySetResult(error); return Task.CompletedTask; };

        var huge = new string('x', 70 * 1024);
        await Assert.ThrowsAnyAsync<Exception>(() =>
            scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = huge }));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // The server and everyone else carry on.
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "still here" });
        Assert.Equal("still here", reply.Content);
    }

    /// <summary>The official client's failures for a 401: at negotiate an HttpRequestException with the status;
    /// on a WebSocket upgrade without negotiation, a WebSocketException naming it.</summary>
    private static void AssertRefusedWith401(Exception error)
    {
        switch (error)
        {
            case HttpRequestException http:
                Assert.Equal(HttpStatusCode.Unauthorized, http.StatusCode);
                break;
            case WebSocketException webSocket:
                Assert.Contains("'401'", webSocket.Message);
                break;
            default:
                Assert.Fail($"not a 401: {error}");
                break;
        }
    }
}
