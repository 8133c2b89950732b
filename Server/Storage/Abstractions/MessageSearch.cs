using System.Globalization;

namespace ChatHub.Server.Storage;

/// <summary>A search of message text (issue 25): the messages of these inboxes (of every inbox when
/// <paramref name="InboxIds"/> is null) that have, for each of <paramref name="Words"/>, a word starting with it;
/// newest first, <paramref name="Limit"/> of them after skipping <paramref name="Offset"/>. Words come from
/// <see cref="SearchWords.Of"/>, so they hold letters and digits only (safe in every engine's query syntax).</summary>
public sealed record MessageSearch(IReadOnlyList<long>? InboxIds, IReadOnlyList<string> Words, int Offset, int Limit);

/// <summary>The one meaning of a word in a message search, on every engine: a run of letters and digits (SQLite FTS5's
/// unicode61 token characters: Unicode letters, numbers and private-use characters), folded to lower case, accents
/// kept (unicode61 with remove_diacritics 0; PostgreSQL's 'simple' configuration keeps them too). A query's words each
/// match the start of a message's word. LiteDB's word index is written with the same function.</summary>
public static class SearchWords
{
    /// <summary>A longer word is cut here (in the index and in a query alike), so no key grows without bound.</summary>
    public const int MaxWordLength = 64;

    /// <summary>The distinct words of <paramref name="text"/>, in order of first appearance.</summary>
    public static IReadOnlyList<string> Of(string? text)
    {
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (start, length) in Spans(text))
        {
            var word = text!.Substring(start, Math.Min(length, MaxWordLength)).ToLowerInvariant();
            if (seen.Add(word)) words.Add(word);
        }
        return words;
    }

    /// <summary>Where each word of <paramref name="text"/> is (start and length, uncut), in order.</summary>
    public static IEnumerable<(int Start, int Length)> Spans(string? text)
    {
        if (string.IsNullOrEmpty(text)) yield break;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsWordChar(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                yield return (start, i - start);
                start = -1;
            }
        }
    }

    private static bool IsWordChar(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
            or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.PrivateUse => true,
        _ => false,
    };
}
