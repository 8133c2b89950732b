using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>An administrator adds a webhook: a URL and the events it receives (Chatwoot's default set when none are
/// named). The answer carries the signing secret.</summary>
public sealed record CreateWebhook(string? Url, IReadOnlyList<string>? Subscriptions) : ICommand<WebhookDto>;

public sealed class CreateWebhookValidator : AbstractValidator<CreateWebhook>
{
    public CreateWebhookValidator()
    {
        RuleFor(c => c.Url).NotEmpty().WebhookUrl().OverridePropertyName("url");
        RuleFor(c => c.Subscriptions).Subscriptions().OverridePropertyName("subscriptions");
    }
}

public sealed class CreateWebhookHandler(RateLimits rateLimits, IOptions<WebhookAddressOptions> options) : ICommandHandler<CreateWebhook, WebhookDto>
{
    public void Authorize(Caller caller, CreateWebhook command)
    {
        WebhookRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
        WebhookRules.RequireReachable(command.Url!, options.Value);
    }

    public async ValueTask<WebhookDto> HandleAsync(CreateWebhook command, CommandContext context)
    {
        var now = Clock.NowMs();
        var webhook = new WebhookRow
        {
            Url = command.Url!,
            Subscriptions = WebhookSubscriptions.Format(command.Subscriptions ?? WebhookEvents.Default),
            Secret = Tokens.NewSecret(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        webhook.Id = await context.Store.InsertWebhookAsync(webhook);
        return WebhookMapper.ToDto(webhook, withSecret: true);
    }
}
