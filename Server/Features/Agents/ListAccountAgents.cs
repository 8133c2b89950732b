using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Agents;

/// <summary>The account's active agents, for any agent (Chatwoot's <c>GET /accounts/{id}/agents</c>: bots pick an
/// assignee from it): names, emails, roles and availability, never tokens. Deactivated agents are left out: they
/// cannot be assigned.</summary>
public sealed record ListAccountAgents : IQuery<IReadOnlyList<AgentDto>>;

public sealed class ListAccountAgentsHandler(AgentPresence presence) : IQueryHandler<ListAccountAgents, IReadOnlyList<AgentDto>>
{
    public void Authorize(Caller caller, ListAccountAgents query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<IReadOnlyList<AgentDto>> HandleAsync(ListAccountAgents query, QueryContext context) =>
        (await context.Store.ListAgentsAsync()).Where(a => a.DeactivatedAt is null).Select(a => AgentMapper.ToDto(a, presence.Connected)).ToList();
}
