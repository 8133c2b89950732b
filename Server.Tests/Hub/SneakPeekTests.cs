using System.Diagnostics;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Sneak peek's rules on one node (issue 27; across nodes, and never to a contact, a webhook or the store:
/// ScaleOut/SneakPeekAcrossNodesTests): a too long peek is refused, an agent cannot send one, peeks past the connection's
/// rate are dropped without an error, an inbox with sneak peek off drops them, and a contact's /cable subscription can
/// send one. Every "did not arrive" waits behind a barrier: the customer's real message, sent after the peeks on the same
/// connection, which the agent receives after any peek that was pushed.</summary>
public sealed class SneakPeekTests
{
    private static async Task<(ContactDto Contact, HubSession Customer, HubSession Agent, ConversationDto Conversation)> ChatAsync(ChatServer server)
    {
        var contact = await server.CreateContact("Ann");
        var customer = await HubSession.ConnectAsync(server, contact.PubsubToken);
        var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest());
        await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
        return (contact, customer, agent, conversation);
    }

    private static Task Peek(HubSession customer, long conversationId, string text) =>
        customer.Hub.InvokeAsync("SendSneakPeek", [conversationId, text]);

    /// <summary>The customer's real message, after which the agent has every peek that was pushed before it.</summary>
    private static async Task BarrierAsync(HubSession customer, HubSession agent, long conversationId)
    {
        var sent = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversationId, Content = $"barrier {Guid.NewGuid():N}" });
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
    }

    [Fact]
    public async Task A_too_long_peek_is_refused_and_an_agent_or_another_customer_cannot_send_one()
    {
        await using var server = await ChatServer.StartAsync();
        var (_, customer, agent, conversation) = await ChatAsync(server);
        await using var _1 = customer;
        await using var _2 = agent;

        var tooLong = await Assert.ThrowsAsync<ChatHubException>(() => Peek(customer, conversation.Id, new string('x', 1001)));
        Assert.StartsWith("validation: ", tooLong.Message);
        await Peek(customer, conversation.Id, new string('y', 1000)); // the limit itself is fine
        var fromAgent = await Assert.ThrowsAsync<ChatHubException>(() => Peek(agent, conversation.Id, "agents do not peek"));
        Assert.StartsWith("forbidden: ", fromAgent.Message);
        var bea = await server.CreateContact("Bea");
        await using var other = await HubSession.ConnectAsync(server, bea.PubsubToken);
        var notHers = await Assert.ThrowsAsync<ChatHubException>(() => Peek(other, conversation.Id, "not my conversation"));
        Assert.Equal("not_found: conversation not found", notHers.Message);

        await BarrierAsync(customer, agent, conversation.Id);
        Assert.Equal([new string('y', 1000)], agent.Pushes.All<SneakPeekEvent>().Select(p => p.Text));
    }

    [Fact]
    public async Task Peeks_past_the_connections_rate_are_dropped_without_an_error()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:SneakPeeksPerSecond"] = "2",
        });
        var (_, customer, agent, conversation) = await ChatAsync(server);
        await using var _1 = customer;
        await using var _2 = agent;

        const int sent = 100;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < sent; i++) await Peek(customer, conversation.Id, $"draft {i}"); // none fails
        var seconds = clock.Elapsed.TotalSeconds;
        await BarrierAsync(customer, agent, conversation.Id);

        // A burst of 2, then one more every half second of the time the sends took (measured, not assumed).
        var received = agent.Pushes.All<SneakPeekEvent>();
        Assert.InRange(received.Count, 2, 2 + (int)Math.Ceiling(seconds * 2) + 1);
        Assert.True(received.Count < sent, $"all {sent} peeks arrived in {seconds:0.00} s");
        Assert.Equal(["draft 0", "draft 1"], received.Take(2).Select(p => p.Text));
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task An_inbox_with_sneak_peek_off_drops_them_and_its_public_view_says_so()
    {
        await using var server = await ChatServer.StartAsync();
        var (_, customer, agent, conversation) = await ChatAsync(server);
        await using var _1 = customer;
        await using var _2 = agent;
        using var admin = server.AdminHttp();
        var inbox = (await admin.GetRead<List<InboxAdminDto>>("/api/v1/inboxes")).Single(i => i.Identifier == server.InboxIdentifier);
        Assert.True(inbox.SneakPeekEnabled); // on by default
        Assert.True((await server.Http.GetRead<InboxDto>(server.ClientApi)).SneakPeekEnabled);

        var off = await (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { sneak_peek_enabled = false })).Read<InboxAdminDto>();
        Assert.False(off.SneakPeekEnabled);
        Assert.False((await server.Http.GetRead<InboxDto>(server.ClientApi)).SneakPeekEnabled);
        await Peek(customer, conversation.Id, "while off"); // no error: an old page that still sends them breaks nothing
        await BarrierAsync(customer, agent, conversation.Id);
        Assert.Empty(agent.Pushes.All<SneakPeekEvent>());

        (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { sneak_peek_enabled = true })).EnsureSuccessStatusCode();
        await Peek(customer, conversation.Id, "on again");
        Assert.Equal("on again", (await agent.Pushes.WaitFor<SneakPeekEvent>()).Text);
    }

    [Fact]
    public async Task A_contacts_cable_subscription_sends_a_peek_to_the_agents_and_hears_none_itself()
    {
        await using var server = await ChatServer.StartAsync();
        var (contact, customer, agent, conversation) = await ChatAsync(server);
        await using var _1 = customer;
        await using var _2 = agent;
        await using var cable = await RawCable.ConnectAsync(server, "actioncable-v1-json");
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifier);
        await cable.WaitForBroadcast(identifier, "presence.update");

        // As the official client performs an action: data is a JSON string.
        var data = System.Text.Json.JsonSerializer.Serialize(new { action = "sneak_peek", conversation_id = conversation.Id, text = "from the cable" });
        await cable.SendAsync(new { command = "message", identifier, data });
        Assert.Equal("from the cable", (await agent.Pushes.WaitFor<SneakPeekEvent>(p => p.ConversationId == conversation.Id)).Text);

        var sent = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "barrier" });
        await cable.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("id").GetInt64() == sent.Id);
        Assert.DoesNotContain(cable.Frames, f => f.GetRawText().Contains("sneak"));
        Assert.Empty(customer.Pushes.All<SneakPeekEvent>());
    }
}
