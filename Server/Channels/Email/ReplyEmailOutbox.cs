using ChatHub.Server.Application.Mail;
using ChatHub.Server.Features.Email;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Email;

/// <summary>Records, in the command's own transaction, that an agent's public reply may have to be emailed to its
/// customer (<see cref="IChatStore"/>'s reply emails): a committed reply always has its record, so a restart or a dead
/// node forgets none. Private notes, activity lines, templates and the customer's own messages never are. Nothing is
/// recorded when mail is not configured or reply emails are off.</summary>
public sealed class ReplyEmailOutbox(IMailSender sender, IOptions<EmailOptions> options) : IOutbox
{
    public async ValueTask RecordAsync(IStoreTransaction store, IReadOnlyList<ChatEvent> changes)
    {
        if (!sender.IsConfigured || !options.Value.RepliesEnabled) return;
        foreach (var change in changes)
        {
            if (change is not MessageCreated { Message: var m } || !IsEmailedReply(m)) continue;
            await store.ScheduleReplyEmailAsync(new ReplyEmailRow
            {
                ConversationId = m.ConversationId, FromMessageId = m.Id, DueAt = m.CreatedAt + options.Value.ReplyDelaySeconds * 1000L,
            });
        }
    }

    /// <summary>Typing is never emailed.</summary>
    public Task RecordUnstoredAsync(IChatStore store, IReadOnlyList<ChatEvent> changes) => Task.CompletedTask;

    /// <summary>An agent's reply the customer sees: outgoing, not private, from an agent, with a contact seq.</summary>
    public static bool IsEmailedReply(MessageRow m) =>
        m is { MessageType: MessageTypes.Outgoing, Private: false, SenderType: SenderTypes.Agent, ContactSeq: not null };
}
