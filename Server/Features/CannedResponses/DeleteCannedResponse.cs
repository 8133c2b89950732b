using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.CannedResponses;

/// <summary>An administrator removes a canned response (Chatwoot's <c>canned_responses#destroy</c>).</summary>
public sealed record DeleteCannedResponse(long Id) : ICommand<Done>;

public sealed class DeleteCannedResponseHandler(RateLimits rateLimits) : ICommandHandler<DeleteCannedResponse, Done>
{
    public void Authorize(Caller caller, DeleteCannedResponse command)
    {
        CannedResponseRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(DeleteCannedResponse command, CommandContext context) =>
        await context.Store.DeleteCannedResponseAsync(command.Id) ? default : throw ChatException.NotFound("canned response");
}
