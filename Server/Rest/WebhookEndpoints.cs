using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Webhooks;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's webhook API (administrators), under <c>/api/v1/accounts/{account_id}/webhooks</c> and
/// <c>/api/v1/webhooks</c>; answers in Chatwoot's <c>{payload: {webhook(s): ...}}</c> shape.</summary>
public static class WebhookEndpoints
{
    public sealed record WebhookFields(string? Url, List<string>? Subscriptions);

    /// <summary>Flat, or nested under <c>webhook</c> as Rails takes it.</summary>
    public sealed record WebhookBody(string? Url, List<string>? Subscriptions, WebhookFields? Webhook)
    {
        public WebhookFields Fields => Webhook ?? new WebhookFields(Url, Subscriptions);
    }

    public static void MapWebhooks(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks");
        webhooks.MapPost("", async (WebhookBody? body, HttpContext http, Dispatcher use) =>
        {
            var fields = body?.Fields;
            return Single(await use.SendAsync<CreateWebhook, WebhookDto>(http.Agent(), new CreateWebhook(fields?.Url, fields?.Subscriptions)));
        });
        webhooks.MapGet("", async (HttpContext http, Dispatcher use) =>
            new { payload = new { webhooks = await use.AskAsync<ListWebhooks, IReadOnlyList<WebhookDto>>(http.Agent(), new ListWebhooks()) } });
        webhooks.MapMethods("/{id:long}", ["PATCH", "PUT"], async (long id, WebhookBody? body, HttpContext http, Dispatcher use) =>
        {
            var fields = body?.Fields;
            return Single(await use.SendAsync<UpdateWebhook, WebhookDto>(http.Agent(), new UpdateWebhook(id, fields?.Url, fields?.Subscriptions)));
        });
        webhooks.MapDelete("/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<DeleteWebhook, Done>(http.Agent(), new DeleteWebhook(id));
            return Results.Ok();
        });
        webhooks.MapGet("/{id:long}/deliveries", async (long id, int? limit, HttpContext http, Dispatcher use) =>
            new { payload = new { deliveries = await use.AskAsync<ListWebhookDeliveries, IReadOnlyList<WebhookDeliveryDto>>(
                http.Agent(), new ListWebhookDeliveries(id, limit)) } });
    }

    private static object Single(WebhookDto webhook) => new { payload = new { webhook } };
}
