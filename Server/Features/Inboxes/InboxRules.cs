using ChatHub.Contracts;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

public static class InboxRules
{
    /// <summary>One day of working hours, as CreateInbox and UpdateInbox take it.</summary>
    public static void WorkingHour(InlineValidator<WorkingHourDto> day)
    {
        day.RuleFor(d => d.DayOfWeek).InclusiveBetween(0, 6).OverridePropertyName("day_of_week");
        day.RuleFor(d => d.OpenHour).InclusiveBetween(0, 23).OverridePropertyName("open_hour");
        day.RuleFor(d => d.CloseHour).InclusiveBetween(0, 23).OverridePropertyName("close_hour");
        day.RuleFor(d => d.OpenMinutes).InclusiveBetween(0, 59).OverridePropertyName("open_minutes");
        day.RuleFor(d => d.CloseMinutes).InclusiveBetween(0, 59).OverridePropertyName("close_minutes");
    }

    /// <summary>reply_time, as CreateInbox and UpdateInbox take it: absent, or one of Chatwoot's values.</summary>
    public static IRuleBuilderOptions<T, string?> ValidReplyTime<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(r => r is null || ReplyTimes.All.Contains(r))
            .WithMessage($"reply_time must be one of {string.Join(", ", ReplyTimes.All)}").OverridePropertyName("reply_time");

    /// <summary>Agent ids one membership change takes at most.</summary>
    public const int MaxMemberIds = 1000;

    /// <summary>agent_ids of AddMembers and RemoveMembers: at least one, at most <see cref="MaxMemberIds"/>.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<long>?> MemberIds<T>(this IRuleBuilder<T, IReadOnlyList<long>?> rule) =>
        rule.NotEmpty().Must(ids => ids is null || ids.Count <= MaxMemberIds).WithMessage($"agent_ids has at most {MaxMemberIds} ids")
            .OverridePropertyName("agent_ids");

    public static void RequireAdministrator(Identity.Caller caller)
    {
        var administrator = caller.IsAdministrator && caller.Kind is Identity.CallerKind.Agent or Identity.CallerKind.Operator;
        if (!administrator) throw Common.ChatException.Forbidden("administrators only");
    }
}
