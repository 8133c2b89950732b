using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.SneakPeek;

/// <summary>Sneak peek (issue 27, LiveChat's <c>send_sneak_peek</c>): a customer's composer sends what it holds before
/// it is sent, so the agents of the inbox can start on the answer. A read, like typing: nothing is stored; the
/// <see cref="SneakPeekChanged"/> it raises goes to the inbox's agents only (<see cref="Visibility"/>). Empty text: the
/// box was cleared. Dropped without an error past the connection's rate (Limits:SneakPeeksPerSecond) and when the
/// inbox has sneak peek off, so a widget that still sends them (an old page) learns nothing and breaks nothing.</summary>
public sealed record SendSneakPeek(long ConversationId, string? Text) : IQuery<Done>;

public sealed class SendSneakPeekValidator : AbstractValidator<SendSneakPeek>
{
    public SendSneakPeekValidator(ChatLimits limits)
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.Text).MaximumLength(limits.MaxSneakPeekLength).WellFormed().OverridePropertyName("text");
    }
}

public sealed class SendSneakPeekHandler(RateLimits rateLimits) : IQueryHandler<SendSneakPeek, Done>
{
    public void Authorize(Caller caller, SendSneakPeek query)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only the conversation's customer sends a sneak peek");
    }

    public async ValueTask<Done> HandleAsync(SendSneakPeek query, QueryContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        // Per connection (a customer's tabs each have their own composer), before any read: a flood costs nothing.
        if (!rateLimits.TryTake(RateLimitedAction.SneakPeek, caller.ConnectionId ?? caller.Key)) return default;
        var c = await ConversationAccess.ReadAsync(store, caller, query.ConversationId);
        if ((await store.GetInboxAsync(c.InboxId))?.SneakPeekEnabled != true) return default;
        context.Raise(new SneakPeekChanged(c, query.Text ?? ""));
        return default;
    }
}
