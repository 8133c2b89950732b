using System.Text.Json;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>A webhook's subscriptions as the store keeps them: a JSON array of event names.</summary>
public static class WebhookSubscriptions
{
    public static IReadOnlyList<string> Parse(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static string Format(IEnumerable<string> events) => JsonSerializer.Serialize(events.Distinct().ToArray());
}
