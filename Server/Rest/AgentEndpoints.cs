using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Rest;

public static class AgentEndpoints
{
    public sealed record CreateAgentBody(string? Name, string? Email, string? Role);
    public sealed record AgentStateBody(bool? Active);

    /// <summary>The caller's own profile in Chatwoot's <c>_user</c> shape, with the access token it authenticated with.</summary>
    public static async Task<UserProfileShape.User> ProfileAsync(HttpContext http, Dispatcher use) => UserProfileShape.For(
        await use.AskAsync<GetProfile, AgentDto>(http.Agent(), new GetProfile()), TokenAuthenticationHandler.HeaderToken(http.Request) ?? "");

    public static void MapAgents(this RouteGroupBuilder api)
    {
        // Chatwoot's profile (the _user partial); ChatHub's own fields are in it too.
        api.MapGet("/profile", (HttpContext http, Dispatcher use) => ProfileAsync(http, use));
        api.MapGet("/agents", (HttpContext http, Dispatcher use) => use.AskAsync<ListAgents, IReadOnlyList<AgentDto>>(http.Agent(), new ListAgents()));
        api.MapPost("/agents", (CreateAgentBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateAgent, AgentDto>(http.Agent(), new CreateAgent(body?.Name, body?.Email, body?.Role)));
        // A new access token, shown in this answer only: an agent's own (Chatwoot's path), or any agent's by an administrator.
        api.MapPost("/profile/reset_access_token", (HttpContext http, Dispatcher use) =>
            use.SendAsync<ResetAccessToken, AgentDto>(http.Agent(), new ResetAccessToken(http.Agent().Id, null)));
        // Deactivate (active: false) or reactivate an agent; administrators only.
        api.MapPatch("/agents/{id:long}", (long id, AgentStateBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<SetAgentActive, AgentDto>(http.Agent(), new SetAgentActive(id, body?.Active)));
        api.MapPost("/agents/{id:long}/reset_access_token", (long id, HttpContext http, Dispatcher use) =>
            use.SendAsync<ResetAccessToken, AgentDto>(http.Agent(), new ResetAccessToken(id, null)));
    }
}
