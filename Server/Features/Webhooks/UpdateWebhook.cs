using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>An administrator changes a webhook's URL or events (what is left out stays). Deliveries not yet sent
/// go to the new URL; the secret stays.</summary>
public sealed record UpdateWebhook(long Id, string? Url, IReadOnlyList<string>? Subscriptions) : ICommand<WebhookDto>;

public sealed class UpdateWebhookValidator : AbstractValidator<UpdateWebhook>
{
    public UpdateWebhookValidator()
    {
        RuleFor(c => c.Url).WebhookUrl().OverridePropertyName("url");
        RuleFor(c => c.Subscriptions).Subscriptions().OverridePropertyName("subscriptions");
    }
}

public sealed class UpdateWebhookHandler(RateLimits rateLimits, IOptions<WebhookAddressOptions> options) : ICommandHandler<UpdateWebhook, WebhookDto>
{
    public void Authorize(Caller caller, UpdateWebhook command)
    {
        WebhookRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
        if (command.Url is not null) WebhookRules.RequireReachable(command.Url, options.Value);
    }

    public async ValueTask<WebhookDto> HandleAsync(UpdateWebhook command, CommandContext context)
    {
        var webhook = await context.Store.GetWebhookAsync(command.Id) ?? throw ChatException.NotFound("webhook");
        if (command.Url is not null) webhook.Url = command.Url;
        if (command.Subscriptions is not null) webhook.Subscriptions = WebhookSubscriptions.Format(command.Subscriptions);
        webhook.UpdatedAt = Clock.NowMs();
        await context.Store.UpdateWebhookAsync(webhook);
        return WebhookMapper.ToDto(webhook);
    }
}
