using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Agents;

/// <summary>Every agent (no tokens), for administrators: the console's Agents tab and its member picker.</summary>
public sealed record ListAgents : IQuery<IReadOnlyList<AgentDto>>;

public sealed class ListAgentsHandler(AgentPresence presence) : IQueryHandler<ListAgents, IReadOnlyList<AgentDto>>
{
    public void Authorize(Caller caller, ListAgents query) => InboxRules.RequireAdministrator(caller);

    public async ValueTask<IReadOnlyList<AgentDto>> HandleAsync(ListAgents query, QueryContext context) =>
        (await context.Store.ListAgentsAsync()).Select(a => AgentMapper.ToDto(a, presence.Connected)).ToList();
}
