using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Teams on the hub (the console's team picker and filter): <c>AssignTeam</c> sets and clears a conversation's
/// team, the inbox's agents hear it in <c>ConversationUpdated</c>, and <c>ListConversations {teamId}</c> filters by it;
/// an unknown team is a validation error and a contact may not call it.</summary>
public sealed class HubTeamTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private async Task<long> CreateTeamAsync()
    {
        using var admin = shared.Server.AdminHttp();
        var created = await admin.PostJson("/api/v1/accounts/1/teams", new { name = $"Team {Guid.NewGuid():N}" });
        created.EnsureSuccessStatusCode();
        using var team = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return team.RootElement.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task An_agent_assigns_a_team_the_inbox_hears_it_and_the_list_filters_by_it()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var teamId = await CreateTeamAsync();
        var conversation = await scene.StartConversation("billing question");
        var other = await scene.StartConversation("another question");

        var assigned = await scene.Agent.Hub.InvokeAsync<ConversationDto>("AssignTeam", [conversation.Id, teamId]);
        Assert.Equal(teamId, assigned.TeamId);
        await scene.Agent.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Id == conversation.Id && u.Conversation.TeamId == teamId);
        var listed = await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all", TeamId = teamId });
        Assert.Equal([conversation.Id], listed.Select(c => c.Id));
        Assert.DoesNotContain(other.Id, listed.Select(c => c.Id));

        var cleared = await scene.Agent.Hub.InvokeAsync<ConversationDto>("AssignTeam", [conversation.Id, null]);
        Assert.Null(cleared.TeamId);
        await scene.Agent.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Id == conversation.Id && u.Conversation.TeamId is null
                                                                           && u.Conversation.Seq > assigned.Seq);
        Assert.Empty(await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all", TeamId = teamId }));
    }

    [Fact]
    public async Task An_unknown_team_is_a_validation_error_and_a_contact_may_not_assign_one()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var teamId = await CreateTeamAsync();
        var conversation = await scene.StartConversation("hello");

        var unknown = await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.InvokeAsync<ConversationDto>("AssignTeam", [conversation.Id, long.MaxValue]));
        Assert.Equal(ErrorCodes.Validation, unknown.Code);
        var byContact = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.InvokeAsync<ConversationDto>("AssignTeam", [conversation.Id, teamId]));
        Assert.Equal(ErrorCodes.Forbidden, byContact.Code);
        var badFilter = await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { TeamId = 0 }));
        Assert.Equal(ErrorCodes.Validation, badFilter.Code);
    }
}
