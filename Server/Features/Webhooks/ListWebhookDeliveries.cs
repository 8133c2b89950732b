using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>An administrator looks at a webhook's deliveries, newest first: status, attempts, last error, next attempt.</summary>
public sealed record ListWebhookDeliveries(long WebhookId, int? Limit) : IQuery<IReadOnlyList<WebhookDeliveryDto>>;

public sealed class ListWebhookDeliveriesValidator : AbstractValidator<ListWebhookDeliveries>
{
    public ListWebhookDeliveriesValidator(ChatLimits limits) =>
        RuleFor(q => q.Limit).InclusiveBetween(1, limits.MaxPageSize).OverridePropertyName("limit");
}

public sealed class ListWebhookDeliveriesHandler(ChatLimits limits) : IQueryHandler<ListWebhookDeliveries, IReadOnlyList<WebhookDeliveryDto>>
{
    public void Authorize(Caller caller, ListWebhookDeliveries query) => WebhookRules.RequireAdministrator(caller);

    public async ValueTask<IReadOnlyList<WebhookDeliveryDto>> HandleAsync(ListWebhookDeliveries query, QueryContext context)
    {
        if (await context.Store.GetWebhookAsync(query.WebhookId) is null) throw ChatException.NotFound("webhook");
        var rows = await context.Store.ListDeliveriesAsync(query.WebhookId, query.Limit ?? limits.MaxPageSize);
        return rows.Select(WebhookMapper.ToDto).ToList();
    }
}
