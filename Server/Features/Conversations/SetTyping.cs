using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Typing on or off: not stored, pushed to the other side (and the other agents), never back to the
/// typing connection.</summary>
public sealed record SetTyping(long ConversationId, bool? IsTyping) : IQuery<Done>;

/// <summary>Chatwoot's typing_status words: "on" and "recording" (a voice note being recorded) show the typist as
/// typing, "off" stops it; anything else is null, which the validator refuses.</summary>
public static class TypingStatuses
{
    public static bool? IsTyping(string? typingStatus) => typingStatus switch
    {
        "on" or "recording" => true,
        "off" => false,
        _ => null,
    };
}

public sealed class SetTypingValidator : AbstractValidator<SetTyping>
{
    public SetTypingValidator()
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.IsTyping).NotNull().WithMessage("typing_status must be on, off or recording").OverridePropertyName("typing_status");
    }
}

public sealed class SetTypingHandler(RateLimits rateLimits) : IQueryHandler<SetTyping, Done>
{
    public void Authorize(Caller caller, SetTyping query) => rateLimits.Check(RateLimitedAction.Typing, caller.Key);

    public async ValueTask<Done> HandleAsync(SetTyping query, QueryContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        var c = await ConversationAccess.ReadAsync(store, caller, query.ConversationId);
        var contactStream = await ConversationChanges.ContactStreamAsync(store, caller, c);
        context.Raise(new TypingChanged(c, contactStream, await Authors.OfCallerAsync(store, caller), query.IsTyping!.Value, caller.ConnectionId));
        return default;
    }
}
