using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>Settings and calls the webhook tests share.</summary>
public static class WebhookTestApi
{
    public const string Account = "/api/v1/accounts/1";

    /// <summary>Receivers on loopback allowed; retries after ~100 ms; a dead node's lease runs out after ~2 s.</summary>
    public static Dictionary<string, string?> FastRetries(bool allowPrivateNetworks = true) => new()
    {
        ["Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["Webhooks:InitialRetryDelay"] = "00:00:00.100",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.500",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:Timeout"] = "00:00:01",
        ["Webhooks:LeaseDuration"] = "00:00:02",
    };

    public sealed record CreatedWebhook(long Id, string Secret);

    public static async Task<CreatedWebhook> CreateWebhookAsync(this HttpClient admin, string url, params string[] subscriptions)
    {
        var response = await admin.PostJson($"{Account}/webhooks", new { url, subscriptions });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
        var webhook = JsonDocument.Parse(text).RootElement.GetProperty("payload").GetProperty("webhook");
        return new(webhook.GetProperty("id").GetInt64(), webhook.GetProperty("secret").GetString()!);
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(this HttpClient admin, long webhookId)
    {
        var text = await (await admin.GetAsync($"{Account}/webhooks/{webhookId}/deliveries")).Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.GetProperty("payload").GetProperty("deliveries").EnumerateArray().ToList();
    }

    /// <summary>Waits (60 s at most, a bound against hanging) until <paramref name="done"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }
}
