using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Teams;

/// <summary>Every team, for any agent (Chatwoot's <c>teams#index</c>); or one (<c>teams#show</c>).</summary>
public sealed record ListTeams(long? Id = null) : IQuery<IReadOnlyList<TeamDto>>;

public sealed class ListTeamsHandler : IQueryHandler<ListTeams, IReadOnlyList<TeamDto>>
{
    public void Authorize(Caller caller, ListTeams query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<IReadOnlyList<TeamDto>> HandleAsync(ListTeams query, QueryContext context)
    {
        var store = context.Store;
        var teams = query.Id is { } id
            ? [await store.GetTeamAsync(id) ?? throw ChatException.NotFound("team")]
            : await store.ListTeamsAsync();
        var answer = new List<TeamDto>(teams.Count);
        foreach (var team in teams)
            answer.Add(TeamMapper.ToDto(team, (await store.TeamMembersOfAsync(team.Id)).Contains(context.Caller.Id)));
        return answer;
    }
}
