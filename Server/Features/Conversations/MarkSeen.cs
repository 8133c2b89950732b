using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>The caller has seen the conversation up to now: one change (one seq), not one per message; the
/// other side's messages read as "read" from then on.</summary>
public sealed record MarkSeen(long ConversationId) : ICommand<Done>, IConversationCommand;

public sealed class MarkSeenValidator : AbstractValidator<MarkSeen>
{
    public MarkSeenValidator() => RuleFor(c => c.ConversationId).ConversationId();
}

public sealed class MarkSeenHandler(RateLimits rateLimits) : ICommandHandler<MarkSeen, Done>
{
    public void Authorize(Caller caller, MarkSeen command) => rateLimits.Check(RateLimitedAction.SeenMarker, caller.Key);

    public async ValueTask<Done> HandleAsync(MarkSeen command, CommandContext context)
    {
        var c = await ConversationAccess.ForUpdateAsync(context.Store, context.Caller, command.ConversationId);
        var now = Clock.NowMs();
        ChangedAttribute change;
        if (context.Caller.IsContact)
        {
            change = new("contact_last_seen_at", Clock.ToSeconds(c.ContactLastSeenAt), Clock.ToSeconds(now));
            c.ContactLastSeenAt = now;
        }
        else
        {
            change = new("agent_last_seen_at", Clock.ToSeconds(c.AgentLastSeenAt), Clock.ToSeconds(now));
            (c.AgentLastSeenAt, c.UnreadCount) = (now, 0);
        }
        await ConversationChanges.UpdateAsync(context, c, await ConversationChanges.ContactStreamAsync(context, c), [change]);
        return default;
    }
}
