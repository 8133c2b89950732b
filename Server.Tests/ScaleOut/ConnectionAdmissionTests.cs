using System.Net;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>When a hub connection counts as open behind Redis: only once it is in its groups on every node (so the
/// first push after a client's start() is never lost), and never while the node cannot hear the others (the client
/// gets the server's clear answer instead of a hang).</summary>
public sealed class ConnectionAdmissionTests
{
    [Fact]
    public async Task The_first_push_after_start_resolved_on_another_node_is_never_lost()
    {
        await using var nodes = await TwoNodes.StartAsync();
        for (var round = 0; round < 5; round++)
        {
            var contact = await nodes.A.CreateContact($"Ann {round}");
            await using var customer = await HubSession.ConnectAsync(nodes.A, contact.PubsubToken);
            await customer.Hub.PingAsync(0);
            // The conversation starts on A the moment the agent's start() resolved on B, with no call in between:
            // the handshake answer itself must mean "in every group, on every node".
            await using var agent = await HubSession.ConnectAsync(nodes.B, nodes.B.AgentToken);
            var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = $"round {round}" } });

            await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
            // The customer's own group too: a push from B reaches the customer on A.
            var reply = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "hello" });
            await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        }
    }

    [Fact]
    public async Task A_client_connecting_while_Redis_is_down_is_refused_at_once_with_503_then_connects_when_it_is_back()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await nodes.Redis.StopAsync();
        await TwoNodes.WaitForHealth(nodes.A, "degraded");

        // The 503 is the server's own answer to the negotiate: refused at once, not left to a client timeout.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => HubSession.ConnectAsync(nodes.A, nodes.A.AgentToken));
        Assert.Contains("503", refused.Message);
        // A client that skips negotiation (its WebSocket request is the first one) is refused the same way.
        using var upgrade = await nodes.A.Http.GetAsync($"{HubPaths.Chat}?access_token={nodes.A.AgentToken}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upgrade.StatusCode);
        Assert.NotNull(upgrade.Headers.RetryAfter);
        Assert.Contains(ErrorCodes.Unavailable, await upgrade.Content.ReadAsStringAsync());

        await nodes.Redis.StartAgainAsync();
        await nodes.WaitHealthyAsync(nodes.A);
        await using var agent = await HubSession.ConnectAsync(nodes.A, nodes.A.AgentToken);
        await agent.Hub.PingAsync(0);
    }

    /// <summary>Node A's link to Redis stalls (bytes held, nothing reset: a frozen Redis or a black-holed network):
    /// A still believes it is connected for a few seconds, and SignalR's backplane would wait on its subscriptions.
    /// A client connecting then gets a handshake error ("unavailable") from the server once its groups could not be
    /// joined (HubConnections.JoinTimeout, shorter than the client's own handshake timeout, so the answer is the
    /// server's and not a client giving up; no wall-clock bound is asserted: test machines are noisy), and connects
    /// once the link flows.</summary>
    [Fact]
    public async Task A_client_connecting_while_the_Redis_link_is_stalled_gets_an_unavailable_answer()
    {
        await using var nodes = await TwoNodes.StartAsync(proxyRedisOfA: true);
        var link = nodes.RedisLinkOfA!;
        link.Pause();
        try
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => HubSession.ConnectAsync(nodes.A, nodes.A.AgentToken));
            Assert.Contains(ErrorCodes.Unavailable, refused.ToString());
            await TwoNodes.WaitForHealth(nodes.A, "degraded"); // the probe notices the stall too
        }
        finally
        {
            link.Resume();
        }
        await nodes.WaitHealthyAsync(nodes.A);
        await using var agent = await HubSession.ConnectAsync(nodes.A, nodes.A.AgentToken);
        await agent.Hub.PingAsync(0);
    }
}
