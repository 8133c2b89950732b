using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>An administrator changes an inbox's settings (PATCH: what is given changes, the rest stays). An empty
/// greeting_message turns the greeting off; an empty working_hours list turns working hours off, and working_hours_enabled
/// (when given) turns them on or off whatever the list; an empty out_of_office_message removes it; pre_chat_form_options
/// replaces the whole form (PreChatForm).</summary>
public sealed record UpdateInbox(
    long Id, string? Name, bool? HmacMandatory, string? GreetingMessage, IReadOnlyList<WorkingHourDto>? WorkingHours, string? Timezone,
    bool? CsatSurveyEnabled, string? ReplyTime = null, bool? WorkingHoursEnabled = null, string? OutOfOfficeMessage = null,
    bool? EnableAutoAssignment = null, AutoAssignmentConfigDto? AutoAssignmentConfig = null, bool? SneakPeekEnabled = null,
    bool? PreChatFormEnabled = null, PreChatFormOptionsDto? PreChatFormOptions = null)
    : ICommand<InboxAdminDto>;

public sealed class UpdateInboxValidator : AbstractValidator<UpdateInbox>
{
    public UpdateInboxValidator()
    {
        RuleFor(c => c.Id).GreaterThan(0).OverridePropertyName("id");
        RuleFor(c => c.Name).NotEmpty().MaximumLength(255).WellFormed().When(c => c.Name is not null).OverridePropertyName("name");
        RuleFor(c => c.GreetingMessage).MaximumLength(1024).WellFormed().OverridePropertyName("greeting_message");
        RuleFor(c => c.Timezone).NotEmpty().MaximumLength(64).WellFormed().KnownTimezone().When(c => c.Timezone is not null).OverridePropertyName("timezone");
        RuleFor(c => c.OutOfOfficeMessage).MaximumLength(1024).WellFormed().OverridePropertyName("out_of_office_message");
        RuleFor(c => c.WorkingHours).Must(h => h is null || h.Count <= 7).WithMessage("working_hours has at most 7 days")
            .OverridePropertyName("working_hours");
        RuleForEach(c => c.WorkingHours).ChildRules(InboxRules.WorkingHour).OverridePropertyName("working_hours");
        RuleFor(c => c.ReplyTime).ValidReplyTime();
        RuleFor(c => c.AutoAssignmentConfig!.MaxAssignmentLimit).Must(l => l is null or >= 1 and <= 100_000)
            .WithMessage("max_assignment_limit must be 1 or more (or null: no limit)").When(c => c.AutoAssignmentConfig is not null)
            .OverridePropertyName("auto_assignment_config.max_assignment_limit");
        RuleFor(c => c.PreChatFormOptions!).ChildRules(PreChatForm.Options).When(c => c.PreChatFormOptions is not null)
            .OverridePropertyName("pre_chat_form_options");
    }
}

public sealed class UpdateInboxHandler(RateLimits rateLimits) : ICommandHandler<UpdateInbox, InboxAdminDto>
{
    public void Authorize(Caller caller, UpdateInbox command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<InboxAdminDto> HandleAsync(UpdateInbox command, CommandContext context)
    {
        var inbox = await context.Store.GetInboxAsync(command.Id) ?? throw ChatException.NotFound("inbox");
        if (command.Name is { } name) inbox.Name = name;
        if (command.HmacMandatory is { } hmacMandatory)
        {
            if (hmacMandatory && !inbox.HmacMandatory) context.Raise(new InboxVerificationRequired(inbox.Id));
            inbox.HmacMandatory = hmacMandatory;
        }
        if (command.Timezone is { } timezone) inbox.Timezone = timezone;
        if (command.CsatSurveyEnabled is { } csat) inbox.CsatSurveyEnabled = csat;
        if (command.ReplyTime is { } replyTime) inbox.ReplyTime = replyTime;
        if (command.EnableAutoAssignment is { } autoAssign) inbox.EnableAutoAssignment = autoAssign;
        if (command.AutoAssignmentConfig is { } config) inbox.MaxAssignmentLimit = config.MaxAssignmentLimit;
        if (command.SneakPeekEnabled is { } sneakPeek) inbox.SneakPeekEnabled = sneakPeek;
        if (command.GreetingMessage is { } greeting)
            (inbox.GreetingEnabled, inbox.GreetingMessage) = (greeting.Length > 0, greeting.Length > 0 ? greeting : null);
        if (command.WorkingHours is { } hours)
            (inbox.WorkingHoursEnabled, inbox.WorkingHours) = (hours.Count > 0, JsonSerializer.Serialize(hours));
        if (command.WorkingHoursEnabled is { } enabled) inbox.WorkingHoursEnabled = enabled;
        if (command.OutOfOfficeMessage is { } away) inbox.OutOfOfficeMessage = away.Length > 0 ? away : null;
        if (command.PreChatFormEnabled is { } preChat) inbox.PreChatFormEnabled = preChat;
        if (command.PreChatFormOptions is { } form) inbox.PreChatFormOptions = PreChatForm.Write(form);
        await context.Store.UpdateInboxAsync(inbox);
        return InboxMapper.ToAdminDto(inbox);
    }
}
