using ChatHub.Contracts;
using ChatHub.Server.Features.Search;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Search;

/// <summary>What a search hit shows (issue 25): an excerpt around the first match, and the ranges of it that match,
/// word starts only, as the stores match (<see cref="SearchWords"/>).</summary>
public sealed class SearchSnippetTests
{
    private static string[] Marked(string snippet, IEnumerable<TextRange> ranges) =>
        ranges.Select(r => snippet.Substring(r.Start, r.Length)).ToArray();

    [Fact]
    public void A_short_text_is_whole_with_every_word_that_starts_with_a_query_word_marked()
    {
        var (snippet, highlights) = SearchSnippet.Of("Refund? The REFUNDED order, not prefund.", SearchWords.Of("refund"));
        Assert.Equal("Refund? The REFUNDED order, not prefund.", snippet);
        Assert.Equal(["Refund", "REFUNDED"], Marked(snippet, highlights));
    }

    [Fact]
    public void A_long_text_is_cut_around_its_first_match_with_ellipses_and_ranges_within_the_excerpt()
    {
        var text = string.Join(' ', Enumerable.Repeat("filler", 60)) + " the courier lost it " + string.Join(' ', Enumerable.Repeat("filler", 60));
        var (snippet, highlights) = SearchSnippet.Of(text, SearchWords.Of("courier"));
        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.True(snippet.Length <= SearchSnippet.MaxLength + 2);
        Assert.Equal(["courier"], Marked(snippet, highlights));
    }

    [Fact]
    public void Query_words_are_letters_and_digits_lowered_and_a_text_without_a_match_shows_its_start()
    {
        Assert.Equal(["order", "4711", "café"], SearchWords.Of("Order #4711, CAFÉ! order"));
        Assert.Empty(SearchWords.Of("!!! ... ---"));
        var (snippet, highlights) = SearchSnippet.Of("nothing here", SearchWords.Of("absent"));
        Assert.Equal("nothing here", snippet);
        Assert.Empty(highlights);
    }
}
