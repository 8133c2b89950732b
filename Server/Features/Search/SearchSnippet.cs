using ChatHub.Contracts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Search;

/// <summary>A short plain-text excerpt of a message around its first match, and the ranges in it to highlight: the
/// words that start with one of the query's words (<see cref="SearchWords"/>, as the stores match them). Text only:
/// the console draws the ranges as elements around text nodes, so no message can inject markup.</summary>
public static class SearchSnippet
{
    public const int MaxLength = 160;
    private const int Before = 40;

    public static (string Snippet, IReadOnlyList<TextRange> Highlights) Of(string content, IReadOnlyList<string> words)
    {
        var matches = SearchWords.Spans(content)
            .Where(span => words.Any(word => content.Substring(span.Start, Math.Min(span.Length, SearchWords.MaxWordLength)).ToLowerInvariant()
                .StartsWith(word, StringComparison.Ordinal)))
            .ToList();
        var start = matches.Count == 0 ? 0 : Math.Max(0, matches[0].Start - Before);
        if (start > 0 && char.IsLowSurrogate(content[start])) start--;
        var end = Math.Min(content.Length, start + MaxLength);
        if (end < content.Length && end > start && char.IsHighSurrogate(content[end - 1])) end--;
        var snippet = (start > 0 ? "…" : "") + content[start..end] + (end < content.Length ? "…" : "");
        var shift = start > 0 ? 1 - start : 0;
        var highlights = matches.Where(m => m.Start >= start && m.Start + m.Length <= end)
            .Select(m => new TextRange { Start = m.Start + shift, Length = m.Length }).ToList();
        return (snippet, highlights);
    }
}
