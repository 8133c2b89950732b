using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>An administrator lists the webhooks (without their secrets).</summary>
public sealed record ListWebhooks : IQuery<IReadOnlyList<WebhookDto>>;

public sealed class ListWebhooksHandler : IQueryHandler<ListWebhooks, IReadOnlyList<WebhookDto>>
{
    public void Authorize(Caller caller, ListWebhooks query) => WebhookRules.RequireAdministrator(caller);

    public async ValueTask<IReadOnlyList<WebhookDto>> HandleAsync(ListWebhooks query, QueryContext context) =>
        (await context.Store.ListWebhooksAsync()).Select(w => WebhookMapper.ToDto(w)).ToList();
}
