using ChatHub.Contracts;
using ChatHub.Server.Tests.Client;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.ScaleOut.CrossNodeDeliveryTests;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Failures of a scaled-out deployment: a node stops while the other keeps serving, and Redis restarts in
/// the middle of a conversation. Afterwards every app has been handed every message once, in seq order.</summary>
public sealed class NodeAndRedisFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_node_A_stops_node_B_keeps_serving_and_A_s_customer_carries_on_through_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        // The customer reaches A through a proxy, as through a load balancer that later sends it to B.
        await using var balancer = TcpProxy.Start(nodes.A.BaseUrl);
        var contact = await nodes.A.CreateContact("Ann");
        await using var customer = await ReadyApp(balancer.Url, contact.PubsubToken);
        await using var agent = await ReadyApp(nodes.B.BaseUrl, nodes.B.AgentToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "c0" } });
        await SequenceAssert.WaitForContents(agent, conversation.Id, ["c0"]); // the agent's app tracks it from its push
        await Send(agent, conversation.Id, "a0");
        await SequenceAssert.WaitForContents(customer, conversation.Id, ["c0", "a0"]);

        // The balancer stops routing to A (draining it), then A stops.
        balancer.RefuseConnections = true;
        await nodes.StopAAsync();
        await customer.Log.WaitFor("Reconnecting");
        Assert.Equal("healthy", await TwoNodes.HealthOf(nodes.B));
        // B serves its agent alone meanwhile.
        foreach (var text in new[] { "a1", "a2" }) await Send(agent, conversation.Id, text);
        balancer.Target = nodes.B.BaseUrl;
        balancer.RefuseConnections = false;
        await customer.Log.WaitFor("Reconnected");
        foreach (var text in new[] { "c1", "c2" }) await Send(customer, conversation.Id, text);
        await Send(agent, conversation.Id, "a3");

        string[] all = ["c0", "a0", "a1", "a2", "c1", "c2", "a3"];
        foreach (var app in new[] { customer, agent })
        {
            var handedOver = await SequenceAssert.WaitForContents(app, conversation.Id, all);
            SequenceAssert.OnceEachInSeqOrder(handedOver);
            Assert.Equal(Enumerable.Range(1, all.Length).Select(i => (long)i), handedOver.Select(m => m.Seq));
        }
    }

    [Fact]
    public async Task A_Redis_restart_mid_conversation_degrades_both_nodes_then_delivery_resumes_and_nothing_is_lost()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var contact = await nodes.A.CreateContact("Ann");
        await using var customer = await ReadyApp(nodes.A.BaseUrl, contact.PubsubToken);
        await using var agent = await ReadyApp(nodes.B.BaseUrl, nodes.B.AgentToken);
        await using var agentOnA = await Ready(nodes.A, nodes.A.AgentToken); // the same node as the customer
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "c0" } });
        await SequenceAssert.WaitForContents(agent, conversation.Id, ["c0"]); // the agent's app tracks it from its push
        await Send(agent, conversation.Id, "a0");
        await SequenceAssert.WaitForContents(customer, conversation.Id, ["c0", "a0"]);
        await SequenceAssert.WaitForContents(agent, conversation.Id, ["c0", "a0"]);

        await nodes.Redis.StopAsync();
        await TwoNodes.WaitForHealth(nodes.A, "degraded");
        await TwoNodes.WaitForHealth(nodes.B, "degraded");

        // Each node serves its own connections without Redis: sends are acknowledged, local pushes delivered.
        var duringOutage = new[] { "c1", "c2" };
        foreach (var text in duringOutage) await Send(customer, conversation.Id, text).WaitAsync(Patience);
        foreach (var text in duringOutage)
            await agentOnA.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == text, Patience);
        foreach (var text in new[] { "a1", "a2" }) await Send(agent, conversation.Id, text).WaitAsync(Patience);

        await nodes.Redis.StartAgainAsync(); // same port, empty: the nodes reconnect and subscribe again by themselves
        await nodes.WaitHealthyAsync(nodes.A);
        await nodes.WaitHealthyAsync(nodes.B);

        // Live pushes again; a gap in them makes each app fetch what it missed during the outage.
        foreach (var text in new[] { "c3", "c4" }) await Send(customer, conversation.Id, text);
        foreach (var text in new[] { "a3", "a4" }) await Send(agent, conversation.Id, text);

        string[] all = ["c0", "a0", "c1", "c2", "a1", "a2", "c3", "c4", "a3", "a4"];
        foreach (var app in new[] { customer, agent })
        {
            var handedOver = await SequenceAssert.WaitForContents(app, conversation.Id, all);
            SequenceAssert.OnceEachInSeqOrder(handedOver);
            Assert.Equal(Enumerable.Range(1, all.Length).Select(i => (long)i), handedOver.Select(m => m.Seq));
            Assert.Equal(all, handedOver.Select(m => m.Content));
        }
        // The WebSockets stayed up throughout: only Redis went away.
        Assert.DoesNotContain("Reconnecting", customer.Log.Names);
        Assert.DoesNotContain("Reconnecting", agent.Log.Names);
        // And the live path works again: the agent on B hears A's customer directly.
        var live = await customer.Connection.Hub.SendMessage(new SendMessageRequest { ConversationId = conversation.Id, Content = "live" });
        await agent.Seen.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == live.Id, Patience);
    }

    [Fact]
    public async Task A_node_started_while_Redis_is_down_serves_its_own_connections_and_joins_when_Redis_comes()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:ChannelPrefix"] = $"test-{Guid.NewGuid():N}",
        };
        await using var a = await ChatServer.StartAsync(settings: settings);
        Assert.Equal("degraded", await TwoNodes.HealthOf(a));
        var contact = await a.CreateContact("Ann");
        await using var customer = await Ready(a, contact.PubsubToken);
        await using var agentOnA = await Ready(a, a.AgentToken);
        var conversation = await customer.Hub.StartConversation(new StartConversationRequest { Message = new NewMessage { Content = "anyone?" } });
        await agentOnA.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.ConversationId == conversation.Id);

        await redis.StartAgainAsync();
        await TwoNodes.WaitForHealth(a, "healthy");
        await using var b = await ChatServer.StartAsync(dbPath: a.DbPath, settings: settings, agentToken: a.AgentToken,
            inboxIdentifier: a.InboxIdentifier, hmacToken: a.HmacToken);
        await TwoNodes.WaitForHealth(b, "healthy");
        await using var agentOnB = await Ready(b, b.AgentToken);
        var message = await customer.Hub.SendMessage(new SendMessageRequest { ConversationId = conversation.Id, Content = "still there?" });
        await agentOnB.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == message.Id, Patience);
    }

    private static Task<MessageDto> Send(ReliableApp app, long conversationId, string text) =>
        app.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversationId, Content = text, EchoId = text });
}
