using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Teams;

/// <summary>An administrator adds a team (Chatwoot's <c>teams#create</c>): a name no other team has, at most
/// Limits:MaxTeams teams.</summary>
public sealed record CreateTeam(string? Name, string? Description) : ICommand<TeamDto>;

public sealed class CreateTeamValidator : AbstractValidator<CreateTeam>
{
    public CreateTeamValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("name is required").TeamName().OverridePropertyName("name");
        RuleFor(c => c.Description).TeamDescription().OverridePropertyName("description");
    }
}

public sealed class CreateTeamHandler(RateLimits rateLimits, ChatLimits limits) : ICommandHandler<CreateTeam, TeamDto>
{
    public void Authorize(Caller caller, CreateTeam command)
    {
        LabelRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<TeamDto> HandleAsync(CreateTeam command, CommandContext context)
    {
        var name = command.Name!.Trim();
        await TeamRules.RequireFreeNameAsync(context.Store, name, null);
        if ((await context.Store.ListTeamsAsync()).Count >= limits.MaxTeams)
            throw ChatException.Invalid("name", $"an account has at most {limits.MaxTeams} teams");
        var now = Clock.NowMs();
        var team = new TeamRow { Name = name, Description = command.Description, CreatedAt = now, UpdatedAt = now };
        team.Id = await context.Store.InsertTeamAsync(team);
        return TeamMapper.ToDto(team, false);
    }
}
