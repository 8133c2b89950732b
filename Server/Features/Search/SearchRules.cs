using ChatHub.Server.Common;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Search;

/// <summary>What every search takes (issue 25): a required <c>q</c> of at most <see cref="MaxQueryLength"/> characters
/// and <see cref="MaxWords"/> words, and a page within <see cref="MaxPage"/>, so that no search reads without bound.</summary>
public static class SearchRules
{
    public const int MaxQueryLength = 100;
    public const int MaxWords = 8;
    public const int MaxPage = 10;
    public const int MessagesPageSize = 20;
    public const int ConversationsPageSize = 25;

    public static void Query<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(q => !string.IsNullOrWhiteSpace(q)).WithMessage("specify the search string with the parameter q")
            .MaximumLength(MaxQueryLength).WellFormed()
            .Must(q => SearchWords.Of(q).Count <= MaxWords).WithMessage($"q must have at most {MaxWords} words")
            .OverridePropertyName("q");

    public static void Page<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(p => p is null or >= 1 and <= MaxPage).WithMessage($"page must be 1..{MaxPage}").OverridePropertyName("page");

    public static void InboxId<T>(this IRuleBuilder<T, long?> rule) =>
        rule.Must(id => id is null or > 0).WithMessage("inbox_id must be an inbox id").OverridePropertyName("inbox_id");

    /// <summary>The words of a valid q (none when it has only punctuation: then no message matches).</summary>
    public static IReadOnlyList<string> WordsOf(string q) => SearchWords.Of(q);
}
