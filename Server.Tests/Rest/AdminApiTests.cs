using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The administrator-only endpoints of the agent API.</summary>
public sealed class AdminApiTests
{
    [Fact]
    public async Task The_administrator_who_creates_an_inbox_is_a_member_and_its_open_console_hears_it_at_once()
    {
        await using var server = await ChatServer.StartAsync();
        await using var console = await HubSession.ConnectAsync(server, server.AgentToken);
        using var admin = server.AdminHttp();
        var created = await (await admin.PostJson("/api/v1/inboxes", new { name = "Sales" })).JsonBody();
        var identifier = created.GetProperty("identifier").GetString()!;

        // A customer of the new inbox starts a conversation: the console opened before the inbox existed gets it.
        using var customerHttp = new HttpClient { BaseAddress = server.BaseUrl };
        var contact = await (await customerHttp.PostJson($"/public/api/v1/inboxes/{identifier}/contacts", new { name = "Sal" })).JsonBody();
        var conversation = await (await customerHttp.PostJson(
            $"/public/api/v1/inboxes/{identifier}/contacts/{contact.GetProperty("source_id").GetString()}/conversations",
            new { message = new { content = "Is this sales?" } })).JsonBody();
        var id = conversation.GetProperty("id").GetInt64();
        await console.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == id);
        Assert.Equal(id, (await admin.GetRead<ConversationDto>($"/api/v1/conversations/{id}")).Id);
    }

    [Fact]
    public async Task Create_inbox_answers_it_with_its_hmac_token_and_it_serves_the_client_api()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var json = await (await admin.PostJson("/api/v1/inboxes", new
        {
            name = "Support",
            hmac_mandatory = true,
            greeting_message = "Welcome!",
            working_hours = new[] { new { day_of_week = 1, open_hour = 9, open_minutes = 0, close_hour = 17, close_minutes = 30 } },
        })).JsonBody();

        AssertFields(json, [.. InboxFields, "id", "hmac_token", "hmac_mandatory"]);
        Assert.Equal(2, json.GetProperty("id").GetInt64());
        Assert.Equal("Support", json.GetProperty("name").GetString());
        Assert.True(json.GetProperty("hmac_mandatory").GetBoolean());
        Assert.True(json.GetProperty("hmac_token").GetString()!.Length >= 22);
        var identifier = json.GetProperty("identifier").GetString()!;
        Assert.True(identifier.Length >= 24, "inbox identifiers are random, >= 24 chars");
        Assert.NotEqual(server.InboxIdentifier, identifier);

        var inbox = await (await server.Http.GetAsync($"/public/api/v1/inboxes/{identifier}")).JsonBody();
        Assert.Equal("Support", inbox.GetProperty("name").GetString());
        Assert.True(inbox.GetProperty("identity_validation_enabled").GetBoolean());
        Assert.True(inbox.GetProperty("greeting_enabled").GetBoolean());
        Assert.Equal("Welcome!", inbox.GetProperty("greeting_message").GetString());
        Assert.True(inbox.GetProperty("working_hours_enabled").GetBoolean());
        var day = Assert.Single(inbox.GetProperty("working_hours").EnumerateArray());
        Assert.Equal(1, day.GetProperty("day_of_week").GetInt32());
        Assert.Equal(17, day.GetProperty("close_hour").GetInt32());
        Assert.Equal(30, day.GetProperty("close_minutes").GetInt32());
        Assert.False(inbox.TryGetProperty("hmac_token", out _));
    }

    [Fact]
    public async Task List_inboxes_answers_every_inbox_with_its_hmac_token()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var created = await server.CreateInbox("Sales");

        var json = await (await admin.GetAsync("/api/v1/inboxes")).JsonBody();
        var inboxes = json.EnumerateArray().ToList();
        Assert.Equal(2, inboxes.Count);
        foreach (var inbox in inboxes) AssertFields(inbox, [.. InboxFields, "id", "hmac_token", "hmac_mandatory"]);
        Assert.Equal(server.HmacToken, inboxes[0].GetProperty("hmac_token").GetString());
        Assert.Equal(server.InboxIdentifier, inboxes[0].GetProperty("identifier").GetString());
        Assert.Equal(created.HmacToken, inboxes[1].GetProperty("hmac_token").GetString());
    }

    [Fact]
    public async Task Create_inbox_validates_its_fields()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        await (await admin.PostJson("/api/v1/inboxes", new { name = "" })).AssertValidation("name");
        await (await admin.PostJson("/api/v1/inboxes", new { })).AssertValidation("name");
        await (await admin.PostJson("/api/v1/inboxes", new { name = "x", working_hours = new[] { new { day_of_week = 9 } } }))
            .AssertClientError("day_of_week 9");
    }

    [Fact]
    public async Task Create_agent_shows_the_access_token_once_and_it_authenticates()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var json = await (await admin.PostJson("/api/v1/agents", new { name = "Mallory", email = "mallory@example.com", role = "agent" })).JsonBody();

        AssertFields(json, "id", "name", "email", "role", "access_token");
        var token = json.GetProperty("access_token").GetString()!;
        Assert.True(token.Length >= 22, "access tokens carry >= 128 random bits");
        Assert.Equal("agent", json.GetProperty("role").GetString());

        using var mallory = server.AgentHttp(token);
        var profileText = await mallory.GetStringAsync("/api/v1/profile");
        Assert.DoesNotContain(token, profileText, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", profileText, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await admin.GetStringAsync("/api/v1/inboxes"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_agent_with_an_existing_email_is_a_conflict()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        (await admin.PostJson("/api/v1/agents", new { name = "Nina", email = "nina@example.com", role = "agent" })).EnsureSuccessStatusCode();

        await (await admin.PostJson("/api/v1/agents", new { name = "Nina 2", email = "nina@example.com", role = "agent" }))
            .AssertProblem(HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await (await admin.PostJson("/api/v1/agents", new { name = "Nina 3", email = "NINA@example.com", role = "agent" }))
            .AssertProblem(HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await (await admin.PostJson("/api/v1/agents", new { name = "Admin 2", email = "admin@example.com" }))
            .AssertProblem(HttpStatusCode.Conflict, ErrorCodes.Conflict);
    }

    [Fact]
    public async Task Create_agent_validates_name_email_and_role()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        await (await admin.PostJson("/api/v1/agents", new { name = "", email = "o@example.com" })).AssertValidation("name");
        await (await admin.PostJson("/api/v1/agents", new { name = "Olga", email = "not an email" })).AssertValidation("email");
        await (await admin.PostJson("/api/v1/agents", new { name = "Olga", email = "o@example.com", role = "owner" })).AssertValidation("role");
    }

    [Fact]
    public async Task Created_administrator_may_use_the_administrator_endpoints()
    {
        await using var server = await ChatServer.StartAsync();
        var boss = await server.CreateAgent("Boss", role: "administrator");
        using var http = server.AgentHttp(boss.AccessToken!);
        Assert.Equal("administrator", (await http.GetRead<AgentDto>("/api/v1/profile")).Role);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/inboxes")).StatusCode);
    }

    [Fact]
    public async Task Add_members_gives_the_agent_the_inboxs_conversations()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var agent = await server.CreateAgent("Oscar", inboxId: null);
        using var oscar = server.AgentHttp(agent.AccessToken!);
        var conversation = await server.StartConversation(await server.CreateContact(), "hi");
        await (await oscar.GetAsync(AgentConversationPath(conversation.Id))).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Empty((await oscar.ListAsAgent()).Data);

        var json = await (await admin.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { agent.Id } })).JsonBody();
        var members = json.GetProperty("agent_ids").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.Equal([1L, agent.Id], members);

        Assert.Equal(conversation.Id, (await oscar.ConversationAsAgent(conversation.Id)).Id);
        Assert.Equal([conversation.Id], (await oscar.ListAsAgent()).Data.Select(c => c.Id));
        // Adding again changes nothing.
        var again = await (await admin.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { agent.Id } })).JsonBody();
        Assert.Equal(2, again.GetProperty("agent_ids").GetArrayLength());
    }

    [Fact]
    public async Task Add_members_refuses_unknown_inboxes_and_agents()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        await (await admin.PostJson("/api/v1/inboxes/999/members", new { agent_ids = new[] { 1L } }))
            .AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await admin.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { 424242L } })).AssertValidation("agent_ids");
        await (await admin.PostJson("/api/v1/inboxes/1/members", new { agent_ids = Array.Empty<long>() })).AssertValidation("agent_ids");

        // All or nothing: a known agent listed with an unknown one is not added either.
        var known = await server.CreateAgent("Quinn", inboxId: null);
        await (await admin.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { known.Id, 424242L } })).AssertValidation("agent_ids");
        using var quinn = server.AgentHttp(known.AccessToken!);
        await (await quinn.GetAsync("/api/v1/conversations?inbox_id=1")).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Non_administrator_agent_gets_403_on_every_administrator_endpoint()
    {
        await using var server = await ChatServer.StartAsync();
        var agent = await server.CreateAgent("Peggy");
        using var peggy = server.AgentHttp(agent.AccessToken!);

        await (await peggy.PostJson("/api/v1/inboxes", new { name = "Mine" })).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await peggy.GetAsync("/api/v1/inboxes")).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await peggy.PostJson("/api/v1/agents", new { name = "Sybil", email = "sybil@example.com", role = "administrator" }))
            .AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await peggy.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { agent.Id } }))
            .AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        using var admin = server.AdminHttp();
        Assert.Single((await admin.GetRead<List<InboxAdminDto>>("/api/v1/inboxes")));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostJson("/api/v1/agents", new { name = "x", email = agent.Email })).StatusCode);
        await (await admin.PostJson("/api/v1/agents", new { name = "Sybil", email = "sybil@example.com" })).JsonBody(); // Peggy created nobody
    }
}
