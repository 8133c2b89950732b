using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Teams;

/// <summary>An administrator renames a team or changes its description (Chatwoot's <c>teams#update</c>; what is left
/// out stays).</summary>
public sealed record UpdateTeam(long Id, string? Name, string? Description) : ICommand<TeamDto>;

public sealed class UpdateTeamValidator : AbstractValidator<UpdateTeam>
{
    public UpdateTeamValidator()
    {
        RuleFor(c => c.Name).TeamName().OverridePropertyName("name");
        RuleFor(c => c.Description).TeamDescription().OverridePropertyName("description");
    }
}

public sealed class UpdateTeamHandler(RateLimits rateLimits) : ICommandHandler<UpdateTeam, TeamDto>
{
    public void Authorize(Caller caller, UpdateTeam command)
    {
        LabelRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<TeamDto> HandleAsync(UpdateTeam command, CommandContext context)
    {
        var store = context.Store;
        var team = await store.GetTeamAsync(command.Id) ?? throw ChatException.NotFound("team");
        if (command.Name?.Trim() is { } name && name != team.Name)
        {
            await TeamRules.RequireFreeNameAsync(store, name, team.Id);
            team.Name = name;
        }
        if (command.Description is not null) team.Description = command.Description;
        team.UpdatedAt = Clock.NowMs();
        await store.UpdateTeamAsync(team);
        return TeamMapper.ToDto(team, (await store.TeamMembersOfAsync(team.Id)).Contains(context.Caller.Id));
    }
}
