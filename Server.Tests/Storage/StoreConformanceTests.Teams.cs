using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Teams and auto-assignment (issue 24) on every engine: team rows and memberships, a conversation's team
/// and an inbox's auto-assignment fields as mutable fields, and each member's load of open conversations.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Team_rows_and_memberships_round_trip_and_go_with_their_team()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var other = await store.WriteAsync(w => w.InsertAgentAsync(NewAgent()));
        var sales = new TeamRow { Name = "Sales", Description = "Sells", CreatedAt = T0, UpdatedAt = T0 };
        var support = new TeamRow { Name = "Support", CreatedAt = T0, UpdatedAt = T0 };
        sales.Id = await store.WriteAsync(w => w.InsertTeamAsync(sales));
        support.Id = await store.WriteAsync(w => w.InsertTeamAsync(support));
        AssertRow(sales, await store.ReadAsync(r => r.GetTeamAsync(sales.Id)));
        Assert.Equal([sales.Id, support.Id], (await store.ReadAsync(r => r.ListTeamsAsync())).Select(t => t.Id));

        await store.WriteAsync(async w =>
        {
            await w.AddTeamMemberAsync(sales.Id, other);
            await w.AddTeamMemberAsync(sales.Id, scene.AgentId);
            await w.AddTeamMemberAsync(sales.Id, scene.AgentId); // twice: no error
            await w.AddTeamMemberAsync(support.Id, other);
            return 0;
        });
        Assert.Equal(new[] { scene.AgentId, other }.Order(), await store.ReadAsync(r => r.TeamMembersOfAsync(sales.Id)));
        Assert.True(await store.WriteAsync(w => w.RemoveTeamMemberAsync(sales.Id, other)));
        Assert.False(await store.WriteAsync(w => w.RemoveTeamMemberAsync(sales.Id, other)));
        Assert.Equal([scene.AgentId], await store.ReadAsync(r => r.TeamMembersOfAsync(sales.Id)));

        sales.Name = "Sales EU";
        sales.Description = null;
        sales.UpdatedAt = T0 + 5;
        await store.WriteAsync(async w => { await w.UpdateTeamAsync(sales); return 0; });
        AssertRow(sales, await store.ReadAsync(r => r.GetTeamAsync(sales.Id)));

        Assert.True(await store.WriteAsync(w => w.DeleteTeamAsync(sales.Id)));
        Assert.False(await store.WriteAsync(w => w.DeleteTeamAsync(sales.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetTeamAsync(sales.Id)));
        Assert.Empty(await store.ReadAsync(r => r.TeamMembersOfAsync(sales.Id)));
        Assert.Equal([other], await store.ReadAsync(r => r.TeamMembersOfAsync(support.Id)));
    }

    [Fact]
    public async Task A_conversations_team_and_an_inboxs_auto_assignment_are_mutable_fields_and_member_loads_count_open_assigned_conversations()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var (idle, busy) = await store.WriteAsync(async w =>
        {
            var idleId = await w.InsertAgentAsync(NewAgent());
            var busyId = await w.InsertAgentAsync(NewAgent());
            await w.AddMemberAsync(scene.InboxId, idleId);
            await w.AddMemberAsync(scene.InboxId, busyId);
            return (idleId, busyId);
        });

        var inbox = await store.WriteAsync(async w =>
        {
            var i = (await w.GetInboxForUpdateAsync(scene.InboxId))!;
            (i.EnableAutoAssignment, i.MaxAssignmentLimit) = (true, 2);
            await w.UpdateInboxAsync(i);
            return i;
        });
        AssertRow(inbox, await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId)));

        // busy: two open conversations (created T0 + 1, T0 + 2) and a resolved one; the seeded one gets a team only.
        foreach (var (createdAt, status) in new[] { (T0 + 1, ConversationStatuses.Open), (T0 + 2, ConversationStatuses.Open), (T0 + 3, ConversationStatuses.Resolved) })
        {
            var c = NewConversation(scene.InboxId, scene.ContactId);
            (c.AssigneeId, c.Status, c.CreatedAt) = (busy, status, createdAt);
            await store.WriteAsync(w => w.InsertConversationAsync(c));
        }
        var teamed = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            c.TeamId = 77;
            await w.RecordChangeAsync(c, visibleToContact: true);
            return c;
        });
        AssertRow(teamed, await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)));
        var ofTeam = await store.ReadAsync(r => r.ListConversationsAsync(new ConversationFilter([scene.InboxId], null, null, false, 0, 10, TeamId: 77)));
        Assert.Equal([scene.ConversationId], ofTeam.Page.Select(c => c.Id));
        Assert.Equal(1, ofTeam.Total);
        Assert.Equal(0, (await store.ReadAsync(r => r.ListConversationsAsync(new ConversationFilter([scene.InboxId], null, null, false, 0, 10, TeamId: 78)))).Total);

        var loads = await store.ReadAsync(r => r.MemberLoadsAsync(scene.InboxId));
        Assert.Equal(new[] { new MemberLoad(scene.AgentId, 0, null), new MemberLoad(idle, 0, null), new MemberLoad(busy, 2, T0 + 2) }.OrderBy(l => l.AgentId),
            loads);
        Assert.Empty(await store.ReadAsync(r => r.MemberLoadsAsync(scene.InboxId + 1000)));
    }
}
