using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Identity;
using ChatHub.Server.Features.Agents;

namespace ChatHub.Server.Transports.Rest;

public static class AgentEndpoints
{
    public sealed record CreateAgentBody(string? Name, string? Email, string? Role);

    public static void MapAgents(this RouteGroupBuilder api)
    {
        api.MapGet("/profile", (HttpContext http, Dispatcher use) => use.AskAsync<GetProfile, AgentDto>(http.Agent(), new GetProfile()));
        api.MapPost("/agents", (CreateAgentBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateAgent, AgentDto>(http.Agent(), new CreateAgent(body?.Name, body?.Email, body?.Role)));
    }
}
