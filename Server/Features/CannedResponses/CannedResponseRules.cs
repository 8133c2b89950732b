using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.CannedResponses;

/// <summary>What a canned response is, once for every canned-response use case: a short code of 1 to 50 characters
/// without white space (an agent types it after '/' in the composer), unique exactly as written (Rails' uniqueness);
/// content of 1 to 10,000 characters. Administrators manage them; every agent reads.</summary>
public static class CannedResponseRules
{
    public const int MaxShortCodeLength = 50;
    public const int MaxContentLength = 10_000;
    /// <summary>Characters of a list's <c>search</c>.</summary>
    public const int MaxSearchLength = 100;

    public static void RequireAdministrator(Caller caller)
    {
        if (!caller.IsAgent || !caller.IsAdministrator) throw ChatException.Forbidden("administrators only");
    }

    public static void RequireAgent(Caller caller)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public static IRuleBuilderOptions<T, string?> ShortCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Length is >= 1 and <= MaxShortCodeLength)
            .WithMessage($"short_code must be 1 to {MaxShortCodeLength} characters")
            .Must(s => s is null || !s.Any(char.IsWhiteSpace))
            .WithMessage("short_code must not contain spaces")
            .WellFormed();

    public static IRuleBuilderOptions<T, string?> Content<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Length is >= 1 and <= MaxContentLength)
            .WithMessage($"content must be 1 to {MaxContentLength} characters")
            .WellFormed();

    /// <summary>Whether a canned response matches a search as Chatwoot's <c>short_code ILIKE '%s%' OR content ILIKE '%s%'</c>.</summary>
    public static bool Matches(string shortCode, string content, string search) =>
        shortCode.Contains(search, StringComparison.OrdinalIgnoreCase) || content.Contains(search, StringComparison.OrdinalIgnoreCase);
}
