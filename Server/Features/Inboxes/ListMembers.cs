using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>The agents who are members of an inbox (no tokens), for administrators.</summary>
public sealed record ListMembers(long InboxId) : IQuery<IReadOnlyList<AgentDto>>;

public sealed class ListMembersHandler(AgentPresence presence) : IQueryHandler<ListMembers, IReadOnlyList<AgentDto>>
{
    public void Authorize(Caller caller, ListMembers query) => InboxRules.RequireAdministrator(caller);

    public async ValueTask<IReadOnlyList<AgentDto>> HandleAsync(ListMembers query, QueryContext context)
    {
        var store = context.Store;
        if (await store.GetInboxAsync(query.InboxId) is null) throw ChatException.NotFound("inbox");
        var members = new List<AgentDto>();
        foreach (var agentId in await store.MembersOfAsync(query.InboxId))
            if (await store.GetAgentAsync(agentId) is { } agent) members.Add(AgentMapper.ToDto(agent, presence.Connected));
        return members;
    }
}
