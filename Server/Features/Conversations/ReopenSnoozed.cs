using ChatHub.Server.Application.Events;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Conversations;

/// <summary>The snooze sweep (the server itself, <see cref="Caller.Operator"/>) reopens a conversation whose snooze
/// ended at or before <paramref name="Now"/>, as Chatwoot's ReopenSnoozedConversationsJob: one change with its seq, an
/// activity line, conversation_status_changed. The conversation is held for the change and checked again, so when
/// several nodes sweep at once, or the customer's message reopened it meanwhile, the others change nothing. Answers
/// whether it reopened it.</summary>
public sealed record ReopenSnoozed(long ConversationId, long Now) : ICommand<bool>, IConversationCommand;

public sealed class ReopenSnoozedHandler : ICommandHandler<ReopenSnoozed, bool>
{
    public void Authorize(Caller caller, ReopenSnoozed command)
    {
        if (caller.Kind != CallerKind.Operator) throw ChatException.Forbidden("only the server reopens a snoozed conversation by itself");
    }

    public async ValueTask<bool> HandleAsync(ReopenSnoozed command, CommandContext context)
    {
        var c = await context.Store.GetConversationForUpdateAsync(command.ConversationId);
        if (c is not { Status: ConversationStatuses.Snoozed, SnoozedUntil: { } until } || until > command.Now) return false;

        (c.Status, c.SnoozedUntil) = (ConversationStatuses.Open, null);
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        await ConversationChanges.UpdateAsync(context, c, contactStream,
            [new ChangedAttribute("status", ConversationStatuses.Snoozed, ConversationStatuses.Open)], ConversationStatuses.Snoozed);
        await ConversationChanges.AppendActivityAsync(context, c, contactStream, "Conversation was reopened: its snooze ended");
        return true;
    }
}
