using ChatHub.Contracts;
using ChatHub.Server.Application.Mail;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Email;

/// <summary>A customer asks for the transcript of their conversation by email (Chatwoot's widget
/// <c>POST /api/v1/widget/conversations/transcript</c>): sent only to the contact's own email (the one stored on the
/// contact; none: 422), only what the customer sees (no private notes, no activity lines), at most
/// Email:MaxMessagesPerEmail messages, Email:TranscriptsPerContactPerHour per contact (429 past it). Queued on this node
/// (<see cref="IMailer"/>): no SMTP configured or a full queue is 503.</summary>
public sealed record SendTranscript(long ConversationId) : IQuery<Done>;

public sealed class SendTranscriptValidator : AbstractValidator<SendTranscript>
{
    public SendTranscriptValidator() => RuleFor(c => c.ConversationId).ConversationId();
}

public sealed class SendTranscriptHandler(IMailer mailer, TranscriptBudget budget, IOptions<EmailOptions> options) : IQueryHandler<SendTranscript, Done>
{
    public void Authorize(Caller caller, SendTranscript query)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only the conversation's customer asks for its transcript");
    }

    public async ValueTask<Done> HandleAsync(SendTranscript query, QueryContext context)
    {
        if (!mailer.IsConfigured) throw new ChatException(ErrorCodes.Unavailable, "this server sends no email");
        var store = context.Store;
        var conversation = await ConversationAccess.ReadAsync(store, context.Caller, query.ConversationId);
        var contact = await store.GetContactAsync(conversation.ContactId) ?? throw ChatException.NotFound("contact");
        if (string.IsNullOrWhiteSpace(contact.Email)) throw ChatException.Invalid("email", "give your email first (the transcript goes to it)");
        var inbox = await store.GetInboxAsync(conversation.InboxId) ?? throw ChatException.NotFound("inbox");
        budget.Take(contact.Id);

        var max = options.Value.MaxMessagesPerEmail;
        var page = await store.GetMessagesAsync(new MessageQuery(conversation.Id, null, 0, max + 1, ForContact: true));
        var shown = page.Where(m => m.MessageType is MessageTypes.Incoming or MessageTypes.Outgoing && !m.Private).Take(max).ToList();
        shown = (await AttachmentFiles.LoadAsync(store, shown)).ToList();
        var names = new Dictionary<long, string>();
        foreach (var id in shown.Where(m => m.SenderType == SenderTypes.Agent).Select(m => m.SenderId).OfType<long>().Distinct())
            if (await store.GetAgentAsync(id) is { } agent) names[id] = agent.Name;
        var lines = shown.Select(m => new ConversationMail.Line(ConversationMail.AuthorOf(m, names, contact.Name), m.CreatedAt, m.Content,
            ConversationMail.FileNames(m))).ToList();
        if (!mailer.TryEnqueue(ConversationMail.Transcript(contact.Email, inbox, lines, cut: page.Count > max)))
            throw new ChatException(ErrorCodes.Unavailable, "email is busy; try again in a few minutes");
        return default;
    }
}
