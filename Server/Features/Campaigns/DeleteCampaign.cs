using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>An administrator removes a campaign (Chatwoot's <c>campaigns#destroy</c>). Conversations it started keep
/// its message; a widget that still shows it cannot start a conversation with it any more.</summary>
public sealed record DeleteCampaign(long Id) : ICommand<Done>;

public sealed class DeleteCampaignHandler(RateLimits rateLimits) : ICommandHandler<DeleteCampaign, Done>
{
    public void Authorize(Caller caller, DeleteCampaign command)
    {
        CampaignRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(DeleteCampaign command, CommandContext context) =>
        await context.Store.DeleteCampaignAsync(command.Id) ? default : throw ChatException.NotFound("campaign");
}
