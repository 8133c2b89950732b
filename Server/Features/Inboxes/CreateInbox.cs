using ChatHub.Server.Application.Events;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>An administrator creates an inbox (a website's widget): a public identifier and an HMAC token.</summary>
public sealed record CreateInbox(
    string? Name, bool? HmacMandatory, string? GreetingMessage, IReadOnlyList<WorkingHourDto>? WorkingHours, string? Timezone,
    bool? CsatSurveyEnabled = null, string? ReplyTime = null, string? OutOfOfficeMessage = null, bool? SneakPeekEnabled = null)
    : ICommand<InboxAdminDto>;

public sealed class CreateInboxValidator : AbstractValidator<CreateInbox>
{
    public CreateInboxValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(255).WellFormed().OverridePropertyName("name");
        RuleFor(c => c.GreetingMessage).MaximumLength(1024).WellFormed().OverridePropertyName("greeting_message");
        RuleFor(c => c.Timezone).MaximumLength(64).WellFormed().KnownTimezone().OverridePropertyName("timezone");
        RuleFor(c => c.OutOfOfficeMessage).MaximumLength(1024).WellFormed().OverridePropertyName("out_of_office_message");
        RuleFor(c => c.WorkingHours).Must(h => h is null || h.Count <= 7).WithMessage("working_hours has at most 7 days")
            .OverridePropertyName("working_hours");
        RuleForEach(c => c.WorkingHours).ChildRules(InboxRules.WorkingHour).OverridePropertyName("working_hours");
        RuleFor(c => c.ReplyTime).ValidReplyTime();
    }
}

public sealed class CreateInboxHandler(RateLimits rateLimits) : ICommandHandler<CreateInbox, InboxAdminDto>
{
    public void Authorize(Caller caller, CreateInbox command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<InboxAdminDto> HandleAsync(CreateInbox command, CommandContext context)
    {
        var inbox = await NewInboxAsync(context.Store, command, identifier: null, hmacToken: null);
        // The administrator who creates an inbox works in it: a member at once, its open consoles joined to it live.
        if (context.Caller.IsAgent)
        {
            await context.Store.AddMemberAsync(inbox.Id, context.Caller.Id);
            context.Raise(new InboxMembersAdded(inbox.Id, [context.Caller.Id]));
        }
        return InboxMapper.ToAdminDto(inbox);
    }

    /// <summary>Also used by the bootstrap, which may bring its own identifier and HMAC token.</summary>
    public static async ValueTask<InboxRow> NewInboxAsync(IStoreTransaction store, CreateInbox command, string? identifier, string? hmacToken)
    {
        var inbox = new InboxRow
        {
            Identifier = string.IsNullOrEmpty(identifier) ? Tokens.NewIdentifier() : identifier,
            Name = command.Name!,
            HmacToken = string.IsNullOrEmpty(hmacToken) ? Tokens.NewSecret() : hmacToken,
            HmacMandatory = command.HmacMandatory ?? false,
            Timezone = command.Timezone ?? "UTC",
            WorkingHoursEnabled = command.WorkingHours is { Count: > 0 },
            WorkingHours = command.WorkingHours is null ? null : JsonSerializer.Serialize(command.WorkingHours),
            GreetingEnabled = !string.IsNullOrEmpty(command.GreetingMessage),
            GreetingMessage = command.GreetingMessage,
            CsatSurveyEnabled = command.CsatSurveyEnabled ?? false,
            ReplyTime = command.ReplyTime ?? ReplyTimes.InAFewMinutes,
            OutOfOfficeMessage = string.IsNullOrEmpty(command.OutOfOfficeMessage) ? null : command.OutOfOfficeMessage,
            SneakPeekEnabled = command.SneakPeekEnabled ?? true,
            CreatedAt = Clock.NowMs(),
        };
        if (await store.FindInboxByIdentifierAsync(inbox.Identifier) is not null) throw ChatException.Conflict("an inbox with this identifier exists");
        inbox.Id = await store.InsertInboxAsync(inbox);
        return inbox;
    }
}
