using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>What a campaign is, once for every campaign use case (issue 27): a title of 1 to 255 characters, an optional
/// description of at most 1,000, a message of 1 to 5,000 (the widget's bubble and the conversation's first message), a
/// URL pattern of at most 2,048 characters that starts with http:// or https:// (<c>*</c> matches any run of
/// characters: the widget's campaigns.js), and a time on page of 0 to 3,600 seconds. Administrators manage them; every
/// agent reads.</summary>
public static class CampaignRules
{
    public const int MaxTitleLength = 255;
    public const int MaxDescriptionLength = 1000;
    public const int MaxMessageLength = 5000;
    public const int MaxUrlLength = 2048;
    public const int MaxTimeOnPageSeconds = 3600;

    public static void RequireAdministrator(Caller caller)
    {
        if (!caller.IsAgent || !caller.IsAdministrator) throw ChatException.Forbidden("administrators only");
    }

    public static void RequireAgent(Caller caller)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public static IRuleBuilderOptions<T, string?> Title<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Trim().Length is >= 1 && s.Length <= MaxTitleLength)
            .WithMessage($"title must be 1 to {MaxTitleLength} characters").WellFormed();

    public static IRuleBuilderOptions<T, string?> Description<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Length <= MaxDescriptionLength)
            .WithMessage($"description must be at most {MaxDescriptionLength} characters").WellFormed();

    public static IRuleBuilderOptions<T, string?> Message<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Trim().Length is >= 1 && s.Length <= MaxMessageLength)
            .WithMessage($"message must be 1 to {MaxMessageLength} characters").WellFormed();

    public static IRuleBuilderOptions<T, string?> UrlPattern<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Length is >= 1 and <= MaxUrlLength)
            .WithMessage($"trigger_rules.url must be 1 to {MaxUrlLength} characters")
            .Must(s => s is null || IsUrlPattern(s))
            .WithMessage("trigger_rules.url must start with http:// or https:// and hold no spaces")
            .WellFormed();

    public static IRuleBuilderOptions<T, int?> TimeOnPage<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(s => s is null or >= 0 and <= MaxTimeOnPageSeconds)
            .WithMessage($"trigger_rules.time_on_page must be 0 to {MaxTimeOnPageSeconds} seconds");

    private static bool IsUrlPattern(string s) =>
        (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && !s.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
}
