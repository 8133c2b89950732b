using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>An administrator deactivates an agent who left: its token opens nothing (REST and hub) until it is
/// reactivated; nobody but an administrator may do it, and not to itself.</summary>
public sealed class AgentDeactivationTests
{
    [Fact]
    public async Task A_deactivated_agents_token_opens_nothing_until_it_is_reactivated()
    {
        await using var server = await ChatServer.StartAsync();
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
    }

    [Fact]
    public async Task Only_administrators_deactivate_and_never_themselves()
    {
        await using var server = await ChatServer.StartAsync();
        var sam = await server.CreateAgent("Sam");
        var tia = await server.CreateAgent("Tia");
        using var admin = server.AdminHttp();
        using var asSam = server.AgentHttp(sam.AccessToken!);

        Assert.Equal(HttpStatusCode.Forbidden, (await asSam.PatchJson($"/api/v1/agents/{tia.Id}", new { active = false })).StatusCode);
        await (await admin.PatchJson("/api/v1/agents/1", new { active = false })).AssertValidation("active");
        await (await admin.PatchJson($"/api/v1/agents/{tia.Id}", new { })).AssertValidation("active");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchJson("/api/v1/agents/999999", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/profile")).StatusCode);
    }
}
