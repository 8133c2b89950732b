using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Teams;

/// <summary>An administrator deletes a team and its memberships (Chatwoot's <c>teams#destroy</c>). Conversations
/// assigned to it show no team from then on (readers find no team under their team_id).</summary>
public sealed record DeleteTeam(long Id) : ICommand<Done>;

public sealed class DeleteTeamHandler(RateLimits rateLimits) : ICommandHandler<DeleteTeam, Done>
{
    public void Authorize(Caller caller, DeleteTeam command)
    {
        LabelRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(DeleteTeam command, CommandContext context)
    {
        if (!await context.Store.DeleteTeamAsync(command.Id)) throw ChatException.NotFound("team");
        return default;
    }
}
