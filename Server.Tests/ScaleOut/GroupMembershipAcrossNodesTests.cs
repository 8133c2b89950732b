using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Xunit;
using static ChatHub.Server.Tests.ScaleOut.CrossNodeDeliveryTests;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Group membership changes that cross nodes: an administrator on one node adds an agent whose connections
/// are on the other (ChatHub's RedisInboxJoins, acknowledged by every node); a node adds and removes another node's
/// connection (SignalR's backplane, acknowledged by the node that has it).</summary>
public sealed class GroupMembershipAcrossNodesTests
{
    [Fact]
    public async Task An_agent_added_to_an_inbox_on_node_A_starts_hearing_it_on_node_B_without_reconnecting()
    {
        await using var nodes = await TwoNodes.StartAsync();
        using var admin = nodes.A.AgentHttp(nodes.A.AgentToken);
        var sales = await admin.PostRead<InboxAdminDto>("/api/v1/inboxes", new { name = "Sales" });
        var bob = await nodes.A.CreateAgent("Bob", inboxId: null);
        await using var bobOnB = await Ready(nodes.B, bob.AccessToken!);
        await using var bobOnA = await Ready(nodes.A, bob.AccessToken!);

        var contact = await nodes.A.Http.PostRead<ContactDto>($"/public/api/v1/inboxes/{sales.Identifier}/contacts", new { name = "Ann" });
        await using var customer = await Ready(nodes.A, contact.PubsubToken);
        var before = await customer.Hub.StartConversationAsync(new StartConversationRequest());

        // The administrator is on A; Bob's connections are on both nodes.
        (await admin.PostJson($"/api/v1/inboxes/{sales.Id}/members", new { agent_ids = new[] { bob.Id } })).EnsureSuccessStatusCode();

        var message = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = before.Id, Content = "anyone?" });
        foreach (var bobSession in new[] { bobOnB, bobOnA })
        {
            var heard = await bobSession.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == message.Id);
            Assert.Equal("anyone?", heard.Message.Content);
            // The conversation began before Bob joined: he was not told then.
            Assert.DoesNotContain(bobSession.Pushes.All<Pushed.ConversationCreated>(), c => c.Conversation.Id == before.Id);
        }

        // Pushes made on B itself reach Bob's B connection too (it joined the group on its own node).
        await using var ann2 = await Ready(nodes.B, contact.PubsubToken);
        var fromB = await ann2.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = before.Id, Content = "from B" });
        await bobOnB.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == fromB.Id);
    }

    [Fact]
    public async Task A_node_adds_and_removes_a_connection_of_the_other_node()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await using var agentOnB = await Ready(nodes.B, nodes.B.AgentToken);
        var connectionId = agentOnB.Connection.ConnectionId!;
        var hubOnA = TwoNodes.HubContext(nodes.A);

        // Completes once node B acknowledged: B has the connection in the group and hears its channel.
        await hubOnA.Groups.AddToGroupAsync(connectionId, "vip");
        await hubOnA.Clients.Group("vip").SendAsync(nameof(IChatClient.PresenceChanged), new PresenceEvent { AgentId = 4242, Availability = "busy" });
        await agentOnB.Pushes.WaitFor<PresenceEvent>(p => p.AgentId == 4242);

        await hubOnA.Groups.RemoveFromGroupAsync(connectionId, "vip");
        await hubOnA.Clients.Group("vip").SendAsync(nameof(IChatClient.PresenceChanged), new PresenceEvent { AgentId = 4343, Availability = "busy" });
        // A barrier through the connection's own channel, published by A after the group push.
        await hubOnA.Clients.Client(connectionId).SendAsync(nameof(IChatClient.PresenceChanged), new PresenceEvent { AgentId = 4444, Availability = "busy" });
        await agentOnB.Pushes.WaitFor<PresenceEvent>(p => p.AgentId == 4444);
        Assert.DoesNotContain(agentOnB.Pushes.All<PresenceEvent>(), p => p.AgentId == 4343);
    }
}
