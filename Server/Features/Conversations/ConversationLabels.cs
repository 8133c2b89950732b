using System.Text.Json;

namespace ChatHub.Server.Features.Conversations;

/// <summary>A conversation's labels as its row keeps them (ConversationRow.Labels): a JSON array of titles in ordinal
/// order, null for none. Read by the views (REST, /cable, webhooks) from the row, so every event's snapshot has them.</summary>
public static class ConversationLabels
{
    public static IReadOnlyList<string> Of(Storage.ConversationRow c) =>
        c.Labels is null ? [] : JsonSerializer.Deserialize<string[]>(c.Labels) ?? [];

    /// <summary>The stored form of a set of titles: distinct, sorted, null when empty.</summary>
    public static string? Format(IEnumerable<string> titles)
    {
        var sorted = titles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? null : JsonSerializer.Serialize(sorted);
    }
}
