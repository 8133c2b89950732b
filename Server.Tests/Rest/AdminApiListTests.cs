using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The two read endpoints the console's Settings view lists from: GET /api/v1/agents and
/// GET /api/v1/inboxes/{id}/members (administrators only, no tokens in either).</summary>
public sealed class AdminApiListTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly string[] ListedAgentFields = ["id", "name", "email", "role", "availability", "chosen_availability"];

    [Fact]
    public async Task An_administrator_lists_every_agent_without_tokens()
    {
        var server = shared.Server;
        var peggy = await server.CreateAgent("Peggy");
        using var admin = server.AdminHttp();

        var agents = (await (await admin.GetAsync("/api/v1/agents")).JsonBody()).EnumerateArray().ToList();

        foreach (var agent in agents) AssertListedAgent(agent);
        Assert.Equal(AgentRoles.Administrator, agents[0].GetProperty("role").GetString());
        var listedPeggy = agents.Single(a => a.GetProperty("id").GetInt64() == peggy.Id);
        Assert.Equal(peggy.Id, listedPeggy.GetProperty("id").GetInt64());
        Assert.Equal("Peggy", listedPeggy.GetProperty("name").GetString());
        Assert.Equal(peggy.Email, listedPeggy.GetProperty("email").GetString());
        Assert.Equal(AgentRoles.Agent, listedPeggy.GetProperty("role").GetString());
        Assert.Equal(Availabilities.Offline, listedPeggy.GetProperty("availability").GetString());
    }

    [Fact]
    public async Task An_administrator_lists_the_members_of_an_inbox()
    {
        var server = shared.Server;
        var peggy = await server.CreateAgent("Peggy");
        var quinn = await server.CreateAgent("Quinn");
        using var admin = server.AdminHttp();
        var inbox = await (await admin.PostJson("/api/v1/inboxes", new { name = "Sales" })).JsonBody();
        var inboxId = inbox.GetProperty("id").GetInt64();
        await (await admin.PostJson($"/api/v1/inboxes/{inboxId}/members", new { agent_ids = new[] { peggy.Id } })).JsonBody();

        var members = (await (await admin.GetAsync($"/api/v1/inboxes/{inboxId}/members")).JsonBody())
            .GetProperty("payload").EnumerateArray().ToList();

        // The administrator who created the inbox is a member, and Peggy; Quinn is not.
        foreach (var member in members) AssertListedAgent(member);
        var ids = members.Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(peggy.Id, ids);
        Assert.DoesNotContain(quinn.Id, ids);
        Assert.Equal(2, ids.Count);
        Assert.Equal("Peggy", members.Single(m => m.GetProperty("id").GetInt64() == peggy.Id).GetProperty("name").GetString());

        await (await admin.GetAsync("/api/v1/inboxes/999/members")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task An_agent_gets_403_and_no_token_gets_401()
    {
        var server = shared.Server;
        var peggy = await server.CreateAgent("Peggy");
        using var asPeggy = server.AgentHttp(peggy.AccessToken!);

        foreach (var path in new[] { "/api/v1/agents", "/api/v1/inboxes/1/members" })
        {
            await (await asPeggy.GetAsync(path)).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
            await (await server.Http.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        }
    }

    private static void AssertListedAgent(JsonElement agent)
    {
        AssertFields(agent, ListedAgentFields);
        Assert.False(agent.TryGetProperty("access_token", out _), "a listed agent carries no access token");
        Assert.False(agent.TryGetProperty("pubsub_token", out _), "a listed agent carries no pubsub token");
    }
}
