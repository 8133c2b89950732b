using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Labels;

/// <summary>An administrator removes a label (Chatwoot's <c>labels#destroy</c>): it can no longer be set on a
/// conversation; conversations that carry its title keep it until their labels are set again.</summary>
public sealed record DeleteLabel(long Id) : ICommand<Done>;

public sealed class DeleteLabelHandler(RateLimits rateLimits) : ICommandHandler<DeleteLabel, Done>
{
    public void Authorize(Caller caller, DeleteLabel command)
    {
        LabelRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(DeleteLabel command, CommandContext context) =>
        await context.Store.DeleteLabelAsync(command.Id) ? default : throw ChatException.NotFound("label");
}
