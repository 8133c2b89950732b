using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Identity;
using FluentValidation;
using ChatHub.Server.Application.Presence;

namespace ChatHub.Server.Features.Assignment;

/// <summary>Who a conversation of these inboxes may be assigned to (Chatwoot's <c>GET /assignable_agents?inbox_ids[]=</c>):
/// the active agents who are members of every one of them, with their availability, for an agent who is a member of
/// each (an administrator: of any inbox). The console's assignee picker lists them.</summary>
public sealed record ListAssignableAgents(IReadOnlyList<long>? InboxIds) : IQuery<IReadOnlyList<AgentDto>>;

public sealed class ListAssignableAgentsValidator : AbstractValidator<ListAssignableAgents>
{
    public const int MaxInboxIds = 100;

    public ListAssignableAgentsValidator() =>
        RuleFor(q => q.InboxIds).NotEmpty().WithMessage("inbox_ids is required")
            .Must(ids => ids is null || ids.Count <= MaxInboxIds).WithMessage($"inbox_ids has at most {MaxInboxIds} ids")
            .OverridePropertyName("inbox_ids");
}

public sealed class ListAssignableAgentsHandler(AgentPresence presence) : IQueryHandler<ListAssignableAgents, IReadOnlyList<AgentDto>>
{
    public void Authorize(Caller caller, ListAssignableAgents query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<IReadOnlyList<AgentDto>> HandleAsync(ListAssignableAgents query, QueryContext context)
    {
        var store = context.Store;
        HashSet<long>? common = null;
        foreach (var inboxId in query.InboxIds!.Distinct())
        {
            if (await store.GetInboxAsync(inboxId) is null) throw ChatException.NotFound("inbox");
            var members = await store.MembersOfAsync(inboxId);
            if (!context.Caller.IsAdministrator && !members.Contains(context.Caller.Id)) throw ChatException.Forbidden("you are not a member of this inbox");
            if (common is null) common = [.. members];
            else common.IntersectWith(members);
        }
        var agents = new List<AgentDto>();
        foreach (var id in common!.Order())
            if (await store.GetAgentAsync(id) is { DeactivatedAt: null } agent) agents.Add(AgentMapper.ToDto(agent, presence.Connected));
        return agents;
    }
}
