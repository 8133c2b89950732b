using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The administrator-only endpoints of the agent API over real HTTP, one test per route: status, fields, and
/// the arguments handed to the use case (whose rules are in-process: UseCases/Inboxes, UseCases/Agents).</summary>
public sealed class AdminApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ChatServer Server => shared.Server;

    [Fact]
    public async Task The_administrator_who_creates_an_inbox_is_a_member_and_its_open_console_hears_it_at_once()
    {
        await using var console = await HubSession.ConnectAsync(Server, Server.AgentToken);
        using var admin = Server.AdminHttp();
        var created = await (await admin.PostJson("/api/v1/inboxes", new { name = "Sales" })).JsonBody();
        var identifier = created.GetProperty("identifier").GetString()!;

        // A customer of the new inbox starts a conversation: the console opened before the inbox existed gets it.
        var contact = await Server.CreateContactIn(identifier, new { name = "Sal" });
        var conversation = await Server.Http.PostRead<ConversationDto>($"/public/api/v1/inboxes/{identifier}/contacts/{contact.SourceId}/conversations",
            new { message = new { content = "Is this sales?" } });
        await console.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
        Assert.Equal(conversation.Id, (await admin.GetRead<ConversationDto>($"/api/v1/conversations/{conversation.Id}")).Id);
    }

    [Fact]
    public async Task Post_inboxes_hands_over_every_setting_and_answers_the_inbox_with_its_secrets()
    {
        using var admin = Server.AdminHttp();
        var json = await (await admin.PostJson("/api/v1/inboxes", new
        {
            name = "Support", hmac_mandatory = true, greeting_message = "Welcome!", timezone = "Europe/Oslo", csat_survey_enabled = true,
            reply_time = "in_a_day",
            working_hours = new[] { new { day_of_week = 1, open_hour = 9, open_minutes = 0, close_hour = 17, close_minutes = 30 } },
        })).JsonBody();

        AssertFields(json, [.. InboxFields, "id", "hmac_token", "hmac_mandatory", "csat_survey_enabled", "reply_time"]);
        Assert.Equal(("Support", true, "Europe/Oslo", true, "in_a_day"), (json.GetProperty("name").GetString(), json.GetProperty("hmac_mandatory").GetBoolean(),
            json.GetProperty("timezone").GetString(), json.GetProperty("csat_survey_enabled").GetBoolean(), json.GetProperty("reply_time").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("hmac_token").GetString()));

        var inbox = await (await Server.Http.GetAsync($"/public/api/v1/inboxes/{json.GetProperty("identifier").GetString()}")).JsonBody();
        Assert.Equal(("Support", true, "Welcome!"), (inbox.GetProperty("name").GetString(), inbox.GetProperty("identity_validation_enabled").GetBoolean(),
            inbox.GetProperty("greeting_message").GetString()));
        var day = Assert.Single(inbox.GetProperty("working_hours").EnumerateArray());
        Assert.Equal((1, 17, 30), (day.GetProperty("day_of_week").GetInt32(), day.GetProperty("close_hour").GetInt32(), day.GetProperty("close_minutes").GetInt32()));
        Assert.False(inbox.TryGetProperty("hmac_token", out _));
        await (await admin.PostJson("/api/v1/inboxes", new { name = "" })).AssertValidation("name");
    }

    [Fact]
    public async Task Patch_inbox_hands_over_what_is_given_and_answers_the_inbox()
    {
        using var admin = Server.AdminHttp();
        var created = await admin.PostRead<InboxAdminDto>("/api/v1/inboxes", new { name = "Rated" });
        var patched = await (await admin.PatchJson($"/api/v1/inboxes/{created.Id}", new { csat_survey_enabled = true, reply_time = "in_a_few_hours" }))
            .Read<InboxAdminDto>();
        Assert.Equal(("Rated", true, "in_a_few_hours"), (patched.Name, patched.CsatSurveyEnabled, patched.ReplyTime));
        Assert.True((await Server.Http.GetRead<InboxDto>($"/public/api/v1/inboxes/{created.Identifier}")).CsatSurveyEnabled);
        await (await admin.PatchJson("/api/v1/inboxes/999999", new { name = "x" })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Get_inboxes_answers_every_inbox_with_its_hmac_token()
    {
        using var admin = Server.AdminHttp();
        var created = await Server.CreateInbox("Listed");

        var inboxes = (await (await admin.GetAsync("/api/v1/inboxes")).JsonBody()).EnumerateArray().ToList();
        foreach (var inbox in inboxes) AssertFields(inbox, [.. InboxFields, "id", "hmac_token", "hmac_mandatory"]);
        Assert.Equal((Server.InboxIdentifier, Server.HmacToken), (inboxes[0].GetProperty("identifier").GetString(), inboxes[0].GetProperty("hmac_token").GetString()));
        Assert.Contains(inboxes, i => i.GetProperty("identifier").GetString() == created.Identifier && i.GetProperty("hmac_token").GetString() == created.HmacToken);
    }

    [Fact]
    public async Task Post_agents_answers_the_access_token_once_it_authenticates_and_a_taken_email_is_a_409()
    {
        using var admin = Server.AdminHttp();
        var email = $"mallory-{Guid.NewGuid():N}@example.com";
        var json = await (await admin.PostJson("/api/v1/agents", new { name = "Mallory", email, role = "agent" })).JsonBody();

        AssertFields(json, "id", "name", "email", "role", "access_token");
        var token = json.GetProperty("access_token").GetString()!;
        Assert.Equal(("Mallory", "agent"), (json.GetProperty("name").GetString(), json.GetProperty("role").GetString()));

        using var mallory = Server.AgentHttp(token);
        var profileText = await mallory.GetStringAsync("/api/v1/profile");
        Assert.Equal(json.GetProperty("id").GetInt64(), System.Text.Json.JsonDocument.Parse(profileText).RootElement.GetProperty("id").GetInt64());
        // The agent's profile shows it its own token (Chatwoot's _user), the administrator's lists never do.
        Assert.Equal(token, System.Text.Json.JsonDocument.Parse(profileText).RootElement.GetProperty("access_token").GetString());
        Assert.DoesNotContain(token, await admin.GetStringAsync("/api/v1/agents"), StringComparison.Ordinal);
        Assert.DoesNotContain(token, await admin.GetStringAsync("/api/v1/profile"), StringComparison.Ordinal);

        await (await admin.PostJson("/api/v1/agents", new { name = "Again", email = email.ToUpperInvariant() })).AssertProblem(HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await (await admin.PostJson("/api/v1/agents", new { name = "Olga", email = "not an email" })).AssertValidation("email");
    }

    [Fact]
    public async Task Post_members_hands_over_the_agent_ids_and_answers_the_members()
    {
        using var admin = Server.AdminHttp();
        var agent = await Server.CreateAgent("Oscar", inboxId: null);
        var inbox = await Server.CreateInbox("Members");

        var json = await (await admin.PostJson($"/api/v1/inboxes/{inbox.Id}/members", new { agent_ids = new[] { agent.Id } })).JsonBody();
        Assert.Equal([1L, agent.Id], json.GetProperty("agent_ids").EnumerateArray().Select(e => e.GetInt64()));
        var removed = await (await admin.DeleteAsync($"/api/v1/inboxes/{inbox.Id}/members/{agent.Id}")).JsonBody();
        Assert.Equal([1L], removed.GetProperty("agent_ids").EnumerateArray().Select(e => e.GetInt64()));
        await (await admin.PostJson($"/api/v1/inboxes/{inbox.Id}/members", new { agent_ids = new[] { 424242L } })).AssertValidation("agent_ids");
        await (await admin.PostJson("/api/v1/inboxes/999999/members", new { agent_ids = new[] { 1L } })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
