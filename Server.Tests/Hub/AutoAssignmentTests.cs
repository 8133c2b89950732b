using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Auto-assignment per inbox and membership pushes (issue 24), with real hub clients: new conversations are
/// spread across the inbox's online agents, none gets more than the limit, an offline one gets none; a newly added
/// member's connection is told, and its list then holds the inbox's conversations. Each test has an inbox of its own.</summary>
public sealed class AutoAssignmentTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private async Task<(InboxAdminDto Inbox, HubSession Alice, HubSession Bob, long AliceId, long BobId)> TwoOnlineAgentsAsync(int? limit)
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var inbox = await server.CreateInbox($"Auto {Guid.NewGuid():N}"[..16]);
        // The administrator leaves the inbox: only the two agents take its conversations.
        (await admin.DeleteAsync($"/api/v1/inboxes/{inbox.Id}/members/1")).EnsureSuccessStatusCode();
        var updated = await (await admin.PatchJson($"/api/v1/accounts/1/inboxes/{inbox.Id}",
            new { enable_auto_assignment = true, auto_assignment_config = new { max_assignment_limit = limit } })).JsonBody();
        Assert.True(updated.GetProperty("enable_auto_assignment").GetBoolean());
        Assert.Equal(limit, updated.GetProperty("auto_assignment_config").GetProperty("max_assignment_limit").GetInt32());
        var alice = await server.CreateAgent("Alice", inboxId: inbox.Id);
        var bob = await server.CreateAgent("Bob", inboxId: inbox.Id);
        var aliceHub = await HubSession.ConnectAsync(server, alice.AccessToken!);
        var bobHub = await HubSession.ConnectAsync(server, bob.AccessToken!);
        await aliceHub.Hub.SetAvailabilityAsync(Availabilities.Online);
        await bobHub.Hub.SetAvailabilityAsync(Availabilities.Online);
        return (inbox, aliceHub, bobHub, alice.Id, bob.Id);
    }

    private async Task<ConversationDto> NewConversationAsync(InboxAdminDto inbox)
    {
        var contact = await shared.Server.CreateContactIn(inbox.Identifier, new { name = "Customer" });
        return await shared.Server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations", new { message = new { content = "hi" } });
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task New_conversations_are_spread_across_the_online_agents_up_to_the_limit()
    {
        var (inbox, alice, bob, aliceId, bobId) = await TwoOnlineAgentsAsync(limit: 2);
        await using var _ = alice;
        await using var __ = bob;

        var assignees = new List<long?>();
        for (var i = 0; i < 4; i++) assignees.Add((await NewConversationAsync(inbox)).AssigneeId);
        // Fewest open conversations first, then the one whose newest is oldest, then the lowest id: Alice, Bob, Alice, Bob.
        Assert.Equal([aliceId, bobId, aliceId, bobId], assignees);
        // Each hears its own as created, already assigned to it.
        var aliceCreated = await alice.Pushes.WaitForCount<Pushed.ConversationCreated>(4);
        Assert.Equal(2, aliceCreated.Count(c => c.Conversation.AssigneeId == aliceId));

        // Both at the limit: the fifth waits unassigned.
        var fifth = await NewConversationAsync(inbox);
        Assert.Null(fifth.AssigneeId);

        // Alice resolves one of hers: the next is hers again.
        var aliceFirst = aliceCreated.First(c => c.Conversation.AssigneeId == aliceId).Conversation;
        await alice.Hub.SetStatusAsync(aliceFirst.Id, ConversationStatuses.Resolved);
        Assert.Equal(aliceId, (await NewConversationAsync(inbox)).AssigneeId);

        // An agent who goes offline gets none: Bob resolves both of his and goes offline; Alice is at her limit.
        foreach (var c in aliceCreated.Where(c => c.Conversation.AssigneeId == bobId)) await bob.Hub.SetStatusAsync(c.Conversation.Id, ConversationStatuses.Resolved);
        await bob.Hub.SetAvailabilityAsync(Availabilities.Offline);
        Assert.Null((await NewConversationAsync(inbox)).AssigneeId);
        await bob.Hub.SetAvailabilityAsync(Availabilities.Online);
        Assert.Equal(bobId, (await NewConversationAsync(inbox)).AssigneeId);
    }

    [Fact]
    public async Task An_agent_added_to_an_inbox_is_told_at_once_and_then_lists_its_existing_conversations()
    {
        var server = shared.Server;
        var inbox = await server.CreateInbox($"Join {Guid.NewGuid():N}"[..16]);
        var existing = await NewConversationAsync(inbox);
        var newcomer = await server.CreateAgent("Newcomer", inboxId: null);
        await using var hub = await HubSession.ConnectAsync(server, newcomer.AccessToken!);
        Assert.Empty(await hub.Hub.ListConversationsAsync(new ListConversationsRequest()));

        using var admin = server.AdminHttp();
        (await admin.PostJson($"/api/v1/inboxes/{inbox.Id}/members", new { agent_ids = new[] { newcomer.Id } })).EnsureSuccessStatusCode();
        var told = await hub.Pushes.WaitFor<InboxMembersEvent>(e => e.InboxId == inbox.Id);
        Assert.True(told.Added);
        Assert.Equal([newcomer.Id], told.AgentIds);
        Assert.Equal([existing.Id], (await hub.Hub.ListConversationsAsync(new ListConversationsRequest())).Select(c => c.Id));
        // And its connection now hears the inbox live.
        var next = await NewConversationAsync(inbox);
        await hub.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == next.Id);
    }
}
