using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using FluentValidation;
using ChatHub.Server.Application.Presence;

namespace ChatHub.Server.Features.Teams;

/// <summary>A team's agents, for any agent (Chatwoot's <c>team_members#index</c>).</summary>
public sealed record ListTeamMembers(long TeamId) : IQuery<IReadOnlyList<AgentDto>>;

public sealed class ListTeamMembersHandler(AgentPresence presence) : IQueryHandler<ListTeamMembers, IReadOnlyList<AgentDto>>
{
    public void Authorize(Caller caller, ListTeamMembers query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<IReadOnlyList<AgentDto>> HandleAsync(ListTeamMembers query, QueryContext context) =>
        await ChangeTeamMembersHandler.MembersAsync(context.Store, query.TeamId, presence.Connected);
}

/// <summary>How <see cref="ChangeTeamMembers"/> changes the members: Chatwoot's <c>team_members#create</c> adds,
/// <c>#update</c> sets the whole list, <c>#destroy</c> removes.</summary>
public enum TeamMembersChange { Add, Set, Remove }

/// <summary>An administrator changes a team's members (existing agents, at most Limits:MaxTeamMembers); answers the
/// members after the change (Chatwoot answers the added ones; ChatHub the whole list, which holds them).</summary>
public sealed record ChangeTeamMembers(long TeamId, TeamMembersChange Change, IReadOnlyList<long>? UserIds) : ICommand<IReadOnlyList<AgentDto>>;

public sealed class ChangeTeamMembersValidator : AbstractValidator<ChangeTeamMembers>
{
    public ChangeTeamMembersValidator() => RuleFor(c => c.UserIds).UserIds();
}

public sealed class ChangeTeamMembersHandler(RateLimits rateLimits, ChatLimits limits, AgentPresence presence) : ICommandHandler<ChangeTeamMembers, IReadOnlyList<AgentDto>>
{
    public void Authorize(Caller caller, ChangeTeamMembers command)
    {
        LabelRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<IReadOnlyList<AgentDto>> HandleAsync(ChangeTeamMembers command, CommandContext context)
    {
        var store = context.Store;
        if (await store.GetTeamAsync(command.TeamId) is null) throw ChatException.NotFound("team");
        var wanted = command.UserIds!.Distinct().ToList();
        var current = await store.TeamMembersOfAsync(command.TeamId);
        if (command.Change != TeamMembersChange.Remove)
            foreach (var agentId in wanted)
                if (await store.GetAgentAsync(agentId) is null) throw ChatException.Invalid("user_ids", $"agent {agentId} does not exist");
        var (add, remove) = command.Change switch
        {
            TeamMembersChange.Add => (wanted.Except(current).ToList(), []),
            TeamMembersChange.Set => (wanted.Except(current).ToList(), current.Except(wanted).ToList()),
            _ => (new List<long>(), wanted.Intersect(current).ToList()),
        };
        if (current.Count + add.Count - remove.Count > limits.MaxTeamMembers)
            throw ChatException.Invalid("user_ids", $"a team has at most {limits.MaxTeamMembers} members");
        foreach (var agentId in remove) await store.RemoveTeamMemberAsync(command.TeamId, agentId);
        foreach (var agentId in add) await store.AddTeamMemberAsync(command.TeamId, agentId);
        return await MembersAsync(store, command.TeamId, presence.Connected);
    }

    public static async ValueTask<IReadOnlyList<AgentDto>> MembersAsync(Storage.IStoreReader store, long teamId, IReadOnlySet<long> connected)
    {
        if (await store.GetTeamAsync(teamId) is null) throw ChatException.NotFound("team");
        var members = new List<AgentDto>();
        foreach (var id in await store.TeamMembersOfAsync(teamId))
            if (await store.GetAgentAsync(id) is { } agent) members.Add(AgentMapper.ToDto(agent, connected));
        return members;
    }
}
