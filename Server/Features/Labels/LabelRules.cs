using System.Text.RegularExpressions;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Labels;

/// <summary>What a label is, once for every label use case: a title of letters, digits, '-' and '_' (Chatwoot's
/// UNICODE_CHARACTER_NUMBER_HYPHEN_UNDERSCORE), kept in lower case (Chatwoot downcases it), so one title is one label
/// whatever its case; a #rrggbb (or #rgb) color; a bounded description. Administrators manage them; every agent reads.</summary>
public static partial class LabelRules
{
    public const int MaxDescriptionLength = 1000;
    public const string DefaultColor = "#1f93ff";

    [GeneratedRegex(@"^[\p{L}\p{N}_-]+$")]
    private static partial Regex TitleCharacters();

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();

    /// <summary>The stored form of a title (Chatwoot's <c>title.downcase</c>).</summary>
    public static string Normalize(string title) => title.ToLowerInvariant();

    public static void RequireAdministrator(Caller caller)
    {
        if (!caller.IsAgent || !caller.IsAdministrator) throw ChatException.Forbidden("administrators only");
    }

    public static void RequireAgent(Caller caller)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    /// <summary>A conversation's labels: titles as a label's (their case aside), at most Limits:MaxLabelsPerConversation.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string?>?> LabelTitles<T>(this IRuleBuilder<T, IReadOnlyList<string?>?> rule, ChatLimits limits) =>
        rule.Must(l => l is null || l.Count <= limits.MaxLabelsPerConversation)
            .WithMessage($"labels may hold at most {limits.MaxLabelsPerConversation} titles")
            .Must(l => l is null || l.All(t => !string.IsNullOrEmpty(t) && t.Length <= limits.MaxLabelTitleLength && TitleCharacters().IsMatch(t)))
            .WithMessage($"labels must be titles of at most {limits.MaxLabelTitleLength} letters, digits, '-' or '_'");

    public static IRuleBuilderOptions<T, string?> LabelTitle<T>(this IRuleBuilder<T, string?> rule, ChatLimits limits) =>
        rule.Must(t => t is null || t.Length <= limits.MaxLabelTitleLength)
            .WithMessage($"title must be at most {limits.MaxLabelTitleLength} characters")
            .Must(t => t is null || TitleCharacters().IsMatch(t))
            .WithMessage("title must be letters, digits, '-' or '_' only");

    public static IRuleBuilderOptions<T, string?> LabelColor<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is null || HexColor().IsMatch(c)).WithMessage("color must be #rrggbb");

    public static IRuleBuilderOptions<T, string?> LabelDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxDescriptionLength).WithMessage($"description must be at most {MaxDescriptionLength} characters").WellFormed();
}
