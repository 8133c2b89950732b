using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Assignment to anyone and teams (issue 24) over real HTTP, on Chatwoot's application API and ChatHub's own:
/// an administrator hands a conversation to a colleague (whose hub connection hears it), a non-member or a deactivated
/// agent is refused, teams are created, changed, filled and deleted, and a conversation is assigned to a team.
/// Run on every store.</summary>
public sealed class AssignmentApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";
    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..20];

    private async Task<(InboxAdminDto Inbox, ConversationDto Conversation)> ConversationInNewInboxAsync()
    {
        var server = shared.Server;
        var inbox = await server.CreateInbox(Unique("Assign")); // the administrator is a member
        var contact = await server.CreateContactIn(inbox.Identifier, new { name = "Ann" });
        var conversation = await server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations", new { message = new { content = "hello" } });
        return (inbox, conversation);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task An_administrator_assigns_a_conversation_to_a_colleague_who_hears_it_and_a_non_member_or_deactivated_agent_is_refused()
    {
        var server = shared.Server;
        var (inbox, conversation) = await ConversationInNewInboxAsync();
        var bob = await server.CreateAgent("Bob", inboxId: inbox.Id);
        var carol = await server.CreateAgent("Carol", inboxId: null);
        await using var bobHub = await HubSession.ConnectAsync(server, bob.AccessToken!);
        using var admin = server.AdminHttp();
        var path = $"{Account}/conversations/{conversation.Id}/assignments";

        var assigned = await (await admin.PostJson(path, new { assignee_id = bob.Id })).JsonBody();
        Assert.Equal((bob.Id, "Bob"), (assigned.GetProperty("id").GetInt64(), assigned.GetProperty("name").GetString()));
        var heard = await bobHub.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Id == conversation.Id && u.Conversation.AssigneeId == bob.Id);
        Assert.Equal(inbox.Id, heard.Conversation.InboxId);
        var shown = await (await admin.GetAsync($"{Account}/conversations/{conversation.Id}")).JsonBody();
        Assert.Equal(bob.Id, shown.GetProperty("meta").GetProperty("assignee").GetProperty("id").GetInt64());

        // The picker's list: the inbox's active members with their availability, for a member; refused to a non-member.
        using var bobHttp = server.AgentHttp(bob.AccessToken!);
        var assignable = await (await bobHttp.GetAsync($"{Account}/assignable_agents?inbox_ids[]={inbox.Id}")).JsonBody();
        Assert.Equal(new[] { 1L, bob.Id }, assignable.GetProperty("payload").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        Assert.All(assignable.GetProperty("payload").EnumerateArray(), a => Assert.NotNull(a.GetProperty("availability_status").GetString()));
        using var carolHttp = server.AgentHttp(carol.AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, (await carolHttp.GetAsync($"{Account}/assignable_agents?inbox_ids[]={inbox.Id}")).StatusCode);
        await (await bobHttp.GetAsync($"{Account}/assignable_agents")).AssertValidation("inbox_ids");

        // Not a member of the inbox: refused, on both APIs; the assignee stays.
        await (await admin.PostJson(path, new { assignee_id = carol.Id })).AssertValidation("assignee_id");
        await (await admin.PostJson($"/api/v1/conversations/{conversation.Id}/assignments", new { assignee_id = carol.Id })).AssertValidation("assignee_id");
        // A member who was deactivated: refused too (a deactivated agent cannot take a conversation).
        var dave = await server.CreateAgent("Dave", inboxId: inbox.Id);
        (await admin.PatchJson($"/api/v1/agents/{dave.Id}", new { active = false })).EnsureSuccessStatusCode();
        await (await admin.PostJson(path, new { assignee_id = dave.Id })).AssertValidation("assignee_id");
        Assert.Equal(bob.Id, (await admin.ConversationAsAgent(conversation.Id)).AssigneeId);

        // A colleague hands it back to the administrator over ChatHub's own API and the hub.
        var back = await bobHttp.PostRead<ConversationDto>($"/api/v1/conversations/{conversation.Id}/assignments", new { assignee_id = 1 });
        Assert.Equal(1L, back.AssigneeId);
        var viaHub = await bobHub.Hub.AssignAsync(conversation.Id, bob.Id);
        Assert.Equal(bob.Id, viaHub.AssigneeId);
        var mine = await bobHub.Hub.ListConversationsAsync(new ListConversationsRequest { InboxId = inbox.Id, AssigneeId = bob.Id });
        Assert.Equal([conversation.Id], mine.Select(c => c.Id));
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Teams_are_created_changed_filled_and_deleted_by_administrators_and_a_conversation_is_assigned_to_one()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var name = Unique("Sales");

        var created = await (await admin.PostJson($"{Account}/teams", new { name, description = "Sells" })).JsonBody();
        AssertFields(created, ["id", "name", "description", "allow_auto_assign", "account_id", "is_member"]);
        var teamId = created.GetProperty("id").GetInt64();
        Assert.Equal((name, "Sells", false), (created.GetProperty("name").GetString(), created.GetProperty("description").GetString(),
            created.GetProperty("is_member").GetBoolean()));
        await (await admin.PostJson($"{Account}/teams", new { team = new { name = name.ToUpperInvariant() } })).AssertValidation("name");
        await (await admin.PostJson($"{Account}/teams", new { name = "" })).AssertValidation("name");

        var bob = await server.CreateAgent("Bob", inboxId: null);
        using var bobHttp = server.AgentHttp(bob.AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, (await bobHttp.PostJson($"{Account}/teams", new { name = Unique("Nope") })).StatusCode);

        var renamed = await (await admin.PatchJson($"{Account}/teams/{teamId}", new { team = new { name = name + "!" } })).JsonBody();
        Assert.Equal((name + "!", "Sells"), (renamed.GetProperty("name").GetString(), renamed.GetProperty("description").GetString()));

        var members = await (await admin.PostJson($"{Account}/teams/{teamId}/team_members", new { user_ids = new[] { 1L, bob.Id } })).JsonBody();
        Assert.Equal(new[] { 1L, bob.Id }, members.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        await (await admin.PostJson($"{Account}/teams/{teamId}/team_members", new { user_ids = new[] { 999_999L } })).AssertValidation("user_ids");
        var set = await (await admin.PatchJson($"{Account}/teams/{teamId}/team_members", new { user_ids = new[] { bob.Id } })).JsonBody();
        Assert.Equal([bob.Id], set.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        var listedByBob = await (await bobHttp.GetAsync($"{Account}/teams")).JsonBody();
        Assert.True(listedByBob.EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == teamId).GetProperty("is_member").GetBoolean());
        Assert.Equal(name + "!", (await (await bobHttp.GetAsync($"{Account}/teams/{teamId}")).JsonBody()).GetProperty("name").GetString());

        // Team assignment: assignments {team_id} answers the team; the administrator, no member of it, is unassigned.
        var (_, conversation) = await ConversationInNewInboxAsync();
        var one = $"{Account}/conversations/{conversation.Id}";
        (await admin.PostJson($"{one}/assignments", new { assignee_id = 1 })).EnsureSuccessStatusCode();
        var team = await (await admin.PostJson($"{one}/assignments", new { team_id = teamId })).JsonBody();
        Assert.Equal(teamId, team.GetProperty("id").GetInt64());
        var shown = await (await admin.GetAsync(one)).JsonBody();
        Assert.Equal((teamId, name + "!"), (shown.GetProperty("meta").GetProperty("team").GetProperty("id").GetInt64(),
            shown.GetProperty("meta").GetProperty("team").GetProperty("name").GetString()));
        var own = await admin.ConversationAsAgent(conversation.Id);
        Assert.Equal((teamId, (long?)null), (own.TeamId, own.AssigneeId));
        await (await admin.PostJson($"{one}/assignments", new { team_id = 999_999 })).AssertValidation("team_id");
        // The list and its counts filter by team (Chatwoot's team_id).
        var byTeam = await (await admin.GetAsync($"{Account}/conversations?status=all&team_id={teamId}")).JsonBody();
        Assert.Equal([conversation.Id], byTeam.GetProperty("data").GetProperty("payload").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal(1, byTeam.GetProperty("data").GetProperty("meta").GetProperty("all_count").GetInt32());
        Assert.Equal(1, (await (await admin.GetAsync($"{Account}/conversations/meta?status=all&team_id={teamId}")).JsonBody())
            .GetProperty("meta").GetProperty("all_count").GetInt32());

        var removal = new HttpRequestMessage(HttpMethod.Delete, $"{Account}/teams/{teamId}/team_members") { Content = JsonContent.Create(new { user_ids = new[] { bob.Id } }) };
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(removal)).StatusCode);
        Assert.Empty((await (await admin.GetAsync($"{Account}/teams/{teamId}/team_members")).JsonBody()).EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{Account}/teams/{teamId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Account}/teams/{teamId}")).StatusCode);
        Assert.False((await (await admin.GetAsync(one)).JsonBody()).GetProperty("meta").TryGetProperty("team", out _), "a deleted team is shown as none");
    }
}
