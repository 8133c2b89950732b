using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>PATCH /api/v1/agents/{id} over real HTTP: a deactivated agent's token opens nothing, REST or hub, until it is
/// reactivated (who may deactivate whom is in-process: UseCases/Agents/AgentTests; open connections: Connections/RevocationTests).</summary>
public sealed class AgentDeactivationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_deactivated_agents_token_opens_nothing_until_it_is_reactivated()
    {
        var server = shared.Server;
        var sam = await server.CreateAgent("Sam");
        using var admin = server.AdminHttp();
        using var asSam = server.AgentHttp(sam.AccessToken!);
        await using (var console = await HubSession.ConnectAsync(server, sam.AccessToken!)) await console.Hub.SetAvailabilityAsync("online");

        var deactivated = await (await admin.PatchJson($"/api/v1/agents/{sam.Id}", new { active = false })).Read<AgentDto>();
        Assert.False(deactivated.Active);
        Assert.Equal(Availabilities.Offline, deactivated.Availability);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asSam.GetAsync("/api/v1/profile")).StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => HubSession.ConnectAsync(server, sam.AccessToken!));
        Assert.False((await admin.GetRead<List<AgentDto>>("/api/v1/agents")).Single(a => a.Id == sam.Id).Active);

        var reactivated = await (await admin.PatchJson($"/api/v1/agents/{sam.Id}", new { active = true })).Read<AgentDto>();
        Assert.True(reactivated.Active);
        Assert.Equal(sam.Id, (await asSam.GetRead<AgentDto>("/api/v1/profile")).Id);
        await (await admin.PatchJson($"/api/v1/agents/{sam.Id}", new { })).AssertValidation("active");
        await (await asSam.PatchJson("/api/v1/agents/1", new { active = false })).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }
}
