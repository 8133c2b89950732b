using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Teams;

/// <summary>What a team is, once for every team use case: a name (unique whatever its case, as Chatwoot's
/// downcased name) of at most <see cref="MaxNameLength"/> characters, a bounded description, at most
/// Limits:MaxTeams teams and Limits:MaxTeamMembers members each. Administrators manage them; every agent reads.</summary>
public static class TeamRules
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    /// <summary>user_ids one membership change takes at most.</summary>
    public const int MaxUserIds = 1000;

    public static IRuleBuilderOptions<T, string?> TeamName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(n => n is null || n.Trim().Length > 0).WithMessage("name must not be empty")
            .MaximumLength(MaxNameLength).WithMessage($"name must be at most {MaxNameLength} characters").WellFormed();

    public static IRuleBuilderOptions<T, string?> TeamDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxDescriptionLength).WithMessage($"description must be at most {MaxDescriptionLength} characters").WellFormed();

    public static IRuleBuilderOptions<T, IReadOnlyList<long>?> UserIds<T>(this IRuleBuilder<T, IReadOnlyList<long>?> rule) =>
        rule.NotNull().WithMessage("user_ids is required").Must(ids => ids is null || ids.Count <= MaxUserIds)
            .WithMessage($"user_ids has at most {MaxUserIds} ids").OverridePropertyName("user_ids");

    /// <summary>A name no other team has, in any case.</summary>
    public static async ValueTask RequireFreeNameAsync(Storage.IStoreReader store, string name, long? except)
    {
        if ((await store.ListTeamsAsync()).Any(t => t.Id != except && string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw ChatException.Invalid("name", "name has already been taken");
    }
}
