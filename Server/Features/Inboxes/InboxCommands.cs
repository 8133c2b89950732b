using ChatHub.Contracts;
using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

public sealed record CreateInboxCommand(
    string? Name, bool? HmacMandatory, string? GreetingMessage, IReadOnlyList<WorkingHourDto>? WorkingHours, string? Timezone);

public sealed record AddMembersCommand(long InboxId, IReadOnlyList<long>? AgentIds);

public sealed class CreateInboxValidator : AbstractValidator<CreateInboxCommand>
{
    public CreateInboxValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(255).WellFormed().OverridePropertyName("name");
        RuleFor(c => c.GreetingMessage).MaximumLength(1024).WellFormed().OverridePropertyName("greeting_message");
        RuleFor(c => c.Timezone).MaximumLength(64).WellFormed().OverridePropertyName("timezone");
        RuleFor(c => c.WorkingHours).Must(h => h is null || h.Count <= 7).WithMessage("working_hours has at most 7 days")
            .OverridePropertyName("working_hours");
        RuleForEach(c => c.WorkingHours).ChildRules(day =>
        {
            day.RuleFor(d => d.DayOfWeek).InclusiveBetween(0, 6).OverridePropertyName("day_of_week");
            day.RuleFor(d => d.OpenHour).InclusiveBetween(0, 23).OverridePropertyName("open_hour");
            day.RuleFor(d => d.CloseHour).InclusiveBetween(0, 23).OverridePropertyName("close_hour");
            day.RuleFor(d => d.OpenMinutes).InclusiveBetween(0, 59).OverridePropertyName("open_minutes");
            day.RuleFor(d => d.CloseMinutes).InclusiveBetween(0, 59).OverridePropertyName("close_minutes");
        }).OverridePropertyName("working_hours");
    }
}

public sealed class AddMembersValidator : AbstractValidator<AddMembersCommand>
{
    public AddMembersValidator()
    {
        RuleFor(c => c.AgentIds).NotEmpty().Must(ids => ids is null || ids.Count <= 1000).WithMessage("agent_ids has at most 1000 ids")
            .OverridePropertyName("agent_ids");
    }
}
