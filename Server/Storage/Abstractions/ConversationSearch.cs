using System.Text.Json;

namespace ChatHub.Server.Storage;

/// <summary>The one meaning of <see cref="ConversationFilter.Labels"/> and <see cref="ConversationFilter.Search"/> on
/// every engine. Labels live on the conversation row as a JSON array of titles (letters, digits, '-', '_', escaped
/// alike by the one serializer), so a title is carried exactly when its JSON string, quotes included, occurs in that
/// text: a raw quote there only ever opens or closes a title.</summary>
public static class ConversationSearch
{
    /// <summary>The LIKE pattern (with '\' as the escape) that finds the title in the stored labels.</summary>
    public static string LabelPattern(string title) =>
        "%" + JsonSerializer.Serialize(title).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    public static bool HasAnyLabel(ConversationRow conversation, IReadOnlyList<string> titles)
    {
        if (conversation.Labels is null) return false;
        var carried = JsonSerializer.Deserialize<string[]>(conversation.Labels) ?? [];
        return carried.Any(title => titles.Contains(title, StringComparer.Ordinal));
    }

    /// <summary>The conversation's id, or a part of its contact's name, email, phone number or identifier
    /// (<see cref="ContactSearch.MatchesFields"/>).</summary>
    public static bool Matches(ConversationRow conversation, ContactRow? contact, string search) =>
        (long.TryParse(search, out var id) && conversation.Id == id) || (contact is not null && ContactSearch.MatchesFields(contact, search));
}
