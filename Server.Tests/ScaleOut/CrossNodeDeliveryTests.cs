using ChatHub.Contracts;
using ChatHub.Server.Tests.Client;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Two nodes behind one Redis act as one server: a customer on node A and an agent on node B receive each
/// other's messages, typing and conversation changes, in both directions, exactly as on one node.</summary>
public sealed class CrossNodeDeliveryTests
{
    [Fact]
    public async Task A_customer_on_A_and_an_agent_on_B_talk_in_both_directions()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await CustomerOnAAndAgentOnBTalkInBothDirections(nodes);
    }

    /// <summary>The body of <see cref="A_customer_on_A_and_an_agent_on_B_talk_in_both_directions"/>, on any two nodes
    /// (PostgresTwoNodesTests runs it on one PostgreSQL database).</summary>
    internal static async Task CustomerOnAAndAgentOnBTalkInBothDirections(TwoNodes nodes)
    {
        var contact = await nodes.A.CreateContact("Ann");
        await using var customer = await Ready(nodes.A, contact.PubsubToken);
        await using var customerPhone = await Ready(nodes.B, contact.PubsubToken); // the same customer, another device, on B
        await using var agent = await Ready(nodes.B, nodes.B.AgentToken);

        var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hello from A", EchoId = "c-1" } });
        var created = await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
        Assert.Equal(0, created.Conversation.Seq);
        var first = await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.ConversationId == conversation.Id);
        Assert.Equal(("hello from A", 1L), (first.Message.Content, first.Message.Seq));
        // The sender's other connection, on the other node, gets its own message with the echoId.
        var echoed = await customerPhone.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.ConversationId == conversation.Id);
        Assert.Equal("c-1", echoed.Message.EchoId);

        var reply = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "hello from B" });
        var received = await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        Assert.Equal(("hello from B", 2L), (received.Message.Content, received.Message.Seq));
        await customerPhone.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);

        // Conversation changes made on B reach A, the caller's own connection included (as on one node).
        await agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved);
        var resolved = await customer.Pushes.WaitFor<Pushed.ConversationUpdated>(c => c.Conversation.Status == ConversationStatuses.Resolved);
        Assert.Equal(3, resolved.Conversation.Seq); // the activity line is seq 3, the status change with it
        await agent.Pushes.WaitFor<Pushed.ConversationUpdated>(c => c.Conversation.Status == ConversationStatuses.Resolved);

        // The sender's own connection never gets its own MessageCreated, on either node. Barrier from A itself (pushes of one
        // node arrive in order; of two nodes, not): the customer's seen marker, made on A after c-1, reaches its connection.
        await customer.Hub.MarkSeenAsync(conversation.Id);
        await customer.Pushes.WaitFor<Pushed.ConversationUpdated>(c => c.Conversation.ContactLastSeenAt is not null);
        Assert.DoesNotContain(customer.Pushes.All<Pushed.MessageCreated>(), m => m.Message.EchoId == "c-1");
    }

    [Fact]
    public async Task Typing_crosses_nodes_both_ways_and_never_comes_back_to_the_typist()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var contact = await nodes.A.CreateContact("Ann");
        await using var customer = await Ready(nodes.A, contact.PubsubToken);
        await using var agent = await Ready(nodes.B, nodes.B.AgentToken);
        var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest());
        await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);

        await customer.Hub.SetTypingAsync(conversation.Id, true);
        var customerTyping = await agent.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id);
        Assert.True(customerTyping.IsTyping);
        Assert.Equal("contact", customerTyping.Sender.Type);

        await agent.Hub.SetTypingAsync(conversation.Id, true);
        var agentTyping = await customer.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id);
        Assert.Equal("agent", agentTyping.Sender.Type);
        await agent.Hub.SetTypingAsync(conversation.Id, false);
        await customer.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id && !t.IsTyping);

        // A barrier from each node: pushes from one node arrive in order, so an echo would be before it.
        var barrier = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "barrier" });
        await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == barrier.Id);
        var barrier2 = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "barrier 2" });
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == barrier2.Id);
        Assert.All(customer.Pushes.All<TypingEvent>(), t => Assert.Equal("agent", t.Sender.Type));
        Assert.All(agent.Pushes.All<TypingEvent>(), t => Assert.Equal("contact", t.Sender.Type));
    }

    [Fact]
    public async Task Presence_set_on_one_node_reaches_agents_on_the_other()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var bob = await nodes.A.CreateAgent("Bob");
        await using var admin = await Ready(nodes.A, nodes.A.AgentToken);
        await using var bobOnB = await Ready(nodes.B, bob.AccessToken!);

        await bobOnB.Hub.SetAvailabilityAsync(Availabilities.Online);
        var presence = await admin.Pushes.WaitFor<PresenceEvent>(p => p.AgentId == bob.Id);
        Assert.Equal(Availabilities.Online, presence.Availability);
    }

    [Fact]
    public async Task Writers_on_both_nodes_share_one_gap_free_seq_and_every_app_gets_every_message_once_in_order()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await WritersOnBothNodesShareOneGapFreeSeq(nodes);
    }

    /// <summary>The body of <see cref="Writers_on_both_nodes_share_one_gap_free_seq_and_every_app_gets_every_message_once_in_order"/>,
    /// on any two nodes (PostgresTwoNodesTests runs it on one PostgreSQL database).</summary>
    internal static async Task WritersOnBothNodesShareOneGapFreeSeq(TwoNodes nodes)
    {
        var contact = await nodes.A.CreateContact("Ann");
        await using var customer = await ReadyApp(nodes.A.BaseUrl, contact.PubsubToken);
        await using var agent = await ReadyApp(nodes.B.BaseUrl, nodes.B.AgentToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });
        await SequenceAssert.WaitForContents(agent, conversation.Id, ["hi"]); // the agent's app tracks it from its push

        // Both nodes' writers commit into the one store at the same time.
        var sends = Enumerable.Range(0, 25).SelectMany(i => new[]
        {
            customer.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"c{i}", EchoId = $"c{i}" }),
            agent.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"a{i}", EchoId = $"a{i}" }),
        }).ToList();
        var acknowledged = await Task.WhenAll(sends);
        Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), acknowledged.Select(m => m.Seq).Order());

        var all = Enumerable.Range(0, 25).SelectMany(i => new[] { $"c{i}", $"a{i}" }).ToList();
        foreach (var app in new[] { customer, agent })
        {
            var handedOver = await SequenceAssert.WaitForContents(app, conversation.Id, all);
            SequenceAssert.OnceEachInSeqOrder(handedOver);
            Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), handedOver.Select(m => m.Seq));
        }
        var stored = await SequenceAssert.StoredMessages(nodes.B, conversation.Id);
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), stored.Select(m => m.Seq));
    }

    /// <summary>Connected and answering calls. The handshake answer already means the connection is in its groups on
    /// every node (the server holds it until then: ConnectionAdmissionTests); the Ping only makes sure the hub
    /// answers calls.</summary>
    internal static async Task<HubSession> Ready(ChatServer node, string token)
    {
        var session = await HubSession.ConnectAsync(node, token);
        await session.Hub.PingAsync(0);
        return session;
    }

    /// <inheritdoc cref="Ready"/>
    internal static async Task<ReliableApp> ReadyApp(Uri serverUrl, string token)
    {
        var app = await ReliableApp.ConnectAsync(serverUrl, token);
        await app.Connection.PingAsync(0);
        return app;
    }
}
