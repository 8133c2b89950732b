using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Agents;

public static class AgentEndpoints
{
    public sealed record CreateAgentBody(string? Name, string? Email, string? Role);

    public static void MapAgents(this RouteGroupBuilder api)
    {
        api.MapGet("/profile", (HttpContext http, AgentService agents) => agents.Profile(http.Agent()));
        api.MapPost("/agents", (CreateAgentBody? body, HttpContext http, AgentService agents) =>
            agents.CreateAsync(http.Agent(), new CreateAgentCommand(body?.Name, body?.Email, body?.Role)));
    }
}
