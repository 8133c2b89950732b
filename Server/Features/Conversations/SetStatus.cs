using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Agents set any status; without one they toggle open and resolved (Chatwoot's toggle_status). A
/// contact can only resolve (its toggle_status always resolves; a resolved conversation stays resolved). An agent
/// resolving a conversation of an inbox with the CSAT survey on also asks its customer for a rating (an input_csat
/// message, as Chatwoot's CsatSurveyService), in the same transaction: once per resolution. An agent snoozing it may
/// say until when (<paramref name="SnoozedUntil"/>, Unix seconds, Chatwoot's snoozed_until): the snooze sweep reopens it
/// then (ReopenSnoozed); without one, or before, the customer's next message reopens it (SendMessage). Any other status
/// ends the snooze.</summary>
public sealed record SetStatus(long ConversationId, string? Status, long? SnoozedUntil = null) : ICommand<ConversationDto>, IConversationCommand;

public sealed class SetStatusValidator : AbstractValidator<SetStatus>
{
    /// <summary>9999-12-31: in Unix milliseconds, still far from overflowing.</summary>
    public const long LatestSnoozeEnd = 253_402_300_799;

    public SetStatusValidator()
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.Status).Must(s => s is null || ConversationStatuses.All.Contains(s))
            .WithMessage("status must be open, pending, resolved or snoozed").OverridePropertyName("status");
        RuleFor(c => c.SnoozedUntil).Must((c, until) => until is null || c.Status == ConversationStatuses.Snoozed)
            .WithMessage("snoozed_until goes with status snoozed")
            .Must(until => until is null or > 0 and <= LatestSnoozeEnd).WithMessage("snoozed_until must be a time in Unix seconds")
            .OverridePropertyName("snoozed_until");
    }
}

public sealed class SetStatusHandler(RateLimits rateLimits) : ICommandHandler<SetStatus, ConversationDto>
{
    public void Authorize(Caller caller, SetStatus command)
    {
        if (caller.IsContact && (command.Status ?? ConversationStatuses.Resolved) != ConversationStatuses.Resolved)
            throw ChatException.Forbidden("contacts may only resolve a conversation");
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
    }

    public async ValueTask<ConversationDto> HandleAsync(SetStatus command, CommandContext context)
    {
        var caller = context.Caller;
        var c = await ConversationAccess.ForUpdateAsync(context.Store, caller, command.ConversationId);
        var target = command.Status ?? (caller.IsContact || c.Status != ConversationStatuses.Resolved
            ? ConversationStatuses.Resolved : ConversationStatuses.Open);
        var snoozedUntil = target == ConversationStatuses.Snoozed ? command.SnoozedUntil * 1000 : null;
        if (c.Status == target && c.SnoozedUntil == snoozedUntil) return await ConversationChanges.AnswerAsync(context.Store, c, caller.IsContact);

        var previous = c.Status;
        (c.Status, c.SnoozedUntil) = (target, snoozedUntil);
        if (target == ConversationStatuses.Resolved) c.ResolvedAt = Clock.NowMs(); // reports: the latest resolution
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        await ConversationChanges.UpdateAsync(context, c, contactStream, [new ChangedAttribute("status", previous, target)], previous);
        var verb = target switch
        {
            ConversationStatuses.Resolved => "resolved",
            ConversationStatuses.Open => "reopened",
            ConversationStatuses.Snoozed => "snoozed",
            _ => "marked as pending",
        };
        var author = await Authors.OfCallerAsync(context.Store, caller);
        await ConversationChanges.AppendActivityAsync(context, c, contactStream, $"Conversation was {verb} by {Authors.Display(author)}");
        if (target == ConversationStatuses.Resolved && caller.IsAgent && (await context.Store.GetInboxAsync(c.InboxId))?.CsatSurveyEnabled == true)
            await ConversationChanges.AppendMessageAsync(context, c, contactStream, author, CsatSurvey.Question, echoId: null,
                ContentTypes.InputCsat, contentAttributes: null, isPrivate: false, callerHasIt: false);
        return await ConversationChanges.AnswerAsync(context.Store, c, caller.IsContact);
    }
}
