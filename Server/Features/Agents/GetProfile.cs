using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Agents;

/// <summary>An agent's own profile, with its own pubsub token.</summary>
public sealed record GetProfile : IQuery<AgentDto>;

public sealed class GetProfileHandler(AgentPresence presence) : IQueryHandler<GetProfile, AgentDto>
{
    public void Authorize(Caller caller, GetProfile query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<AgentDto> HandleAsync(GetProfile query, QueryContext context)
    {
        var agent = await context.Store.GetAgentAsync(context.Caller.Id) ?? throw ChatException.NotFound("agent");
        return AgentMapper.ToDto(agent, presence.Connected) with { PubsubToken = agent.PubsubToken };
    }
}
