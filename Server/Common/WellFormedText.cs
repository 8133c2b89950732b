using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChatHub.Server.Common;

/// <summary>Text that can always be written back out: no lone UTF-16 surrogate (System.Text.Json refuses to
/// write one, so a stored one would break every answer and push that carries it) and no NUL (which PostgreSQL
/// refuses to store). Checked by the validators on every value that enters the store.</summary>
public static partial class WellFormedText
{
    public static bool IsWellFormed(string? text)
    {
        if (text is null) return true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return false;
            }
            if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    public static bool IsWellFormed(JsonElement? value)
    {
        if (value is not { } v) return true;
        try { return Walk(v); }
        catch (InvalidOperationException) { return false; } // a lone surrogate escape cannot even be read as a string
    }

    public static bool IsWellFormed(Dictionary<string, JsonElement>? value) =>
        value is null || value.All(p => IsWellFormed(p.Key) && IsWellFormed(p.Value));

    private static bool Walk(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => v.EnumerateObject().All(p => IsWellFormed(p.Name) && Walk(p.Value)),
        JsonValueKind.Array => v.EnumerateArray().All(Walk),
        JsonValueKind.String => IsWellFormed(v.GetString()),
        _ => true,
    };

    /// <summary>JSON text as stored, made writable: lone surrogate escapes become U+FFFD. Values are validated
    /// before they are stored, so this only repairs rows written before that check existed.</summary>
    public static string Repair(string json)
    {
        if (!json.Contains("\\u", StringComparison.OrdinalIgnoreCase)) return json; // the common case: nothing to look at
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (IsWellFormed(doc.RootElement)) return json;
        }
        catch (JsonException)
        {
            return json;
        }
        return LoneSurrogateEscape().Replace(json, "\\ufffd");
    }

    // A high surrogate escape not followed by a low one, or a low one not preceded by a high one.
    [GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneSurrogateEscape();
}
