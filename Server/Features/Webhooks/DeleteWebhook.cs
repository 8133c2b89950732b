using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>An administrator removes a webhook; its deliveries not yet sent go with it.</summary>
public sealed record DeleteWebhook(long Id) : ICommand<Done>;

public sealed class DeleteWebhookHandler(RateLimits rateLimits) : ICommandHandler<DeleteWebhook, Done>
{
    public void Authorize(Caller caller, DeleteWebhook command)
    {
        WebhookRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(DeleteWebhook command, CommandContext context) =>
        await context.Store.DeleteWebhookAsync(command.Id) ? default : throw ChatException.NotFound("webhook");
}
