using ChatHub.Contracts;
using ChatHub.Server.Application.Mail;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Email;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Email;

/// <summary>Emails customers the replies they missed. On every node, every Email:PollInterval: claims the due reply emails
/// (a lease in the store, so one node handles each), and for each reads the conversation's agent replies from the
/// recorded one on, keeps those the customer has not seen (created after the conversation's contact_last_seen_at, which
/// MarkSeen moves), and:
/// <list type="bullet">
/// <item>none left (all seen), or the customer gave no email: drops it;</item>
/// <item>the first unseen one is not yet Email:ReplyDelaySeconds old (the customer saw the earlier ones): waits for it;</item>
/// <item>otherwise emails them all at once (at most Email:MaxMessagesPerEmail) with a link back, then drops it.</item>
/// </list>
/// Dropping it and recording the next unemailed reply (one written meanwhile) happen in one transaction that holds the
/// conversation, so every reply is emailed at most once and none is skipped. A send that fails keeps the record: its
/// lease runs out and another attempt follows (Email:MaxAttempts in all). A node that dies mid-send leaves the same: the
/// email may then go twice, never not at all (at-least-once, as the webhooks).</summary>
public sealed class ReplyEmailSweep(IChatStore store, IMailSender sender, IOptions<EmailOptions> options, IOptions<SmtpOptions> smtp,
    ILogger<ReplyEmailSweep> logger) : BackgroundService
{
    private const int ClaimBatch = 20;
    private readonly EmailOptions _options = options.Value;
    /// <summary>Unique per process, so a restarted node never mistakes a dead one's lease for its own.</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private TimeSpan Lease => _options.LeaseDuration > smtp.Value.Timeout + TimeSpan.FromSeconds(5)
        ? _options.LeaseDuration : smtp.Value.Timeout + TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!sender.IsConfigured || !_options.RepliesEnabled) return;
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stopping);
                await Task.Delay(_options.PollInterval, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Reply email sweep failed; trying again");
                await Task.Delay(_options.PollInterval, stopping);
            }
        }
    }

    private async Task SweepOnceAsync(CancellationToken stopping)
    {
        var now = Clock.NowMs();
        var claimed = await store.WriteAsync(t => t.ClaimDueReplyEmailsAsync(_owner, now, now + (long)Lease.TotalMilliseconds, ClaimBatch), stopping);
        foreach (var row in claimed)
        {
            try
            {
                await HandleAsync(row, stopping);
            }
            catch (MailNotSentException ex)
            {
                // Kept: the lease runs out, then another attempt (or the last one gives up).
                logger.LogWarning("Reply email of conversation {ConversationId} not sent (attempt {Attempt} of {MaxAttempts}): {Reason}",
                    row.ConversationId, row.Attempts, _options.MaxAttempts, ex.Message);
            }
        }
    }

    private async Task HandleAsync(ReplyEmailRow row, CancellationToken stopping)
    {
        var found = await store.ReadAsync(reader => ReadAsync(reader, row), stopping);
        if (found is null) { await FinishAsync(row, long.MaxValue, stopping); return; }
        var (conversation, contact, inbox, unseen, lastRead, agentNames) = found.Value;
        if (row.Attempts > _options.MaxAttempts)
        {
            logger.LogError("Reply email of conversation {ConversationId} given up after {Attempts} attempts", row.ConversationId, row.Attempts - 1);
            await FinishAsync(row, lastRead, stopping);
            return;
        }
        if (unseen.Count == 0 || string.IsNullOrWhiteSpace(contact.Email))
        {
            await FinishAsync(row, lastRead, stopping);
            return;
        }
        var delay = _options.ReplyDelaySeconds * 1000L;
        if (unseen[0].CreatedAt + delay > Clock.NowMs())
        {
            await FinishAsync(row, unseen[0].Id - 1, stopping); // the first unseen reply is recorded again, due later
            return;
        }
        var lines = unseen.Select(m => new ConversationMail.Line(ConversationMail.AuthorOf(m, agentNames, null), m.CreatedAt, m.Content,
            ConversationMail.FileNames(m))).ToList();
        await sender.SendAsync(ConversationMail.Replies(contact.Email, inbox, lines,
            ConversationMail.LinkOf(conversation, _options.ConversationLinkBase)), stopping);
        logger.LogInformation("Emailed {Count} unseen replies of conversation {ConversationId}", unseen.Count, conversation.Id);
        await FinishAsync(row, unseen[^1].Id, stopping);
    }

    private async ValueTask<(ConversationRow, ContactRow, InboxRow, List<MessageRow> Unseen, long LastRead, Dictionary<long, string>)?> ReadAsync(
        IStoreReader reader, ReplyEmailRow row)
    {
        if (await reader.GetConversationAsync(row.ConversationId) is not { } conversation
            || await reader.GetContactAsync(conversation.ContactId) is not { } contact
            || await reader.GetInboxAsync(conversation.InboxId) is not { } inbox
            || await reader.GetMessageAsync(row.FromMessageId) is not { ContactSeq: { } fromSeq }) return null;
        // The contact's stream from the recorded reply on (its seq stream has no gap before it).
        var page = await reader.GetMessagesAsync(new MessageQuery(conversation.Id, null, fromSeq - 1, _options.MaxMessagesPerEmail, ForContact: true));
        var seenUntil = conversation.ContactLastSeenAt ?? 0;
        var unseen = page.Where(m => m.Id >= row.FromMessageId && ReplyEmailOutbox.IsEmailedReply(m) && m.CreatedAt > seenUntil).ToList();
        var lastRead = page.Count > 0 ? page.Max(m => m.Id) : row.FromMessageId;
        unseen = (await AttachmentFiles.LoadAsync(reader, unseen)).ToList();
        var names = new Dictionary<long, string>();
        foreach (var id in unseen.Select(m => m.SenderId).OfType<long>().Distinct())
            if (await reader.GetAgentAsync(id) is { } agent) names[id] = agent.Name;
        return (conversation, contact, inbox, unseen, lastRead, names);
    }

    /// <summary>Drops the record if this node still holds it, and records the first agent reply after
    /// <paramref name="coveredThrough"/> (one written meanwhile, or one not yet due), holding the conversation so that no
    /// reply is appended between the two.</summary>
    private Task FinishAsync(ReplyEmailRow row, long coveredThrough, CancellationToken stopping) =>
        store.WriteAsync(WriteOrder.OfConversation(row.ConversationId), async t =>
        {
            await t.GetConversationForUpdateAsync(row.ConversationId);
            if (!await t.DeleteReplyEmailAsync(row.ConversationId, _owner)) return false;
            if (coveredThrough == long.MaxValue) return true;
            var recent = await t.GetMessagesAsync(new MessageQuery(row.ConversationId, null, null, _options.MaxMessagesPerEmail, ForContact: true));
            if (recent.Where(m => m.Id > coveredThrough && ReplyEmailOutbox.IsEmailedReply(m)).MinBy(m => m.Id) is { } next)
                await t.ScheduleReplyEmailAsync(new ReplyEmailRow
                {
                    ConversationId = row.ConversationId, FromMessageId = next.Id, DueAt = next.CreatedAt + _options.ReplyDelaySeconds * 1000L,
                });
            return true;
        }, stopping);
}
