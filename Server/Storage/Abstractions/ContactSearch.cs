namespace ChatHub.Server.Storage;

/// <summary>The one meaning of <see cref="ContactFilter.Search"/> on every engine: a part of the name, email, phone
/// number or identifier, ignoring the case of ASCII letters (SQLite's lower() folds no other), or the contact's id.</summary>
public static class ContactSearch
{
    /// <summary>The LIKE pattern (with '\' as the escape) for the lowered columns.</summary>
    public static string LikePattern(string search) =>
        "%" + AsciiLower(search).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    public static bool Matches(ContactRow contact, string search) =>
        MatchesFields(contact, search) || (long.TryParse(search, out var id) && contact.Id == id);

    /// <summary>The text columns only, without the id.</summary>
    public static bool MatchesFields(ContactRow contact, string search)
    {
        var wanted = AsciiLower(search);
        return Contains(contact.Name) || Contains(contact.Email) || Contains(contact.PhoneNumber) || Contains(contact.Identifier);

        bool Contains(string? value) => value is not null && AsciiLower(value).Contains(wanted, StringComparison.Ordinal);
    }

    private static string AsciiLower(string value) =>
        string.Create(value.Length, value, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++) span[i] = text[i] is >= 'A' and <= 'Z' ? (char)(text[i] + 32) : text[i];
        });
}
