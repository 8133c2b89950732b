using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>A message into a conversation, from its contact or an agent of its inbox (agents may write private
/// notes and interactive messages). The same echoId again returns the original: nothing stored, nothing pushed.
/// Files come as new files (REST multipart) or as the caller's own pending uploads (the hub's AttachmentIds), at
/// most 5 together; with files the content may be empty. Everything is stored in the message's one transaction.
/// A contact's content_attributes keep only <c>in_reply_to</c> (<see cref="ContactContentAttributes"/>).</summary>
/// <param name="MessageType">Chatwoot's application API names the direction ("outgoing", or omitted); the sender
/// decides it: a contact's messages are incoming, an agent's outgoing, so "incoming" from an agent is refused.</param>
public sealed record SendMessage(long ConversationId, string? Content, string? EchoId, string? ContentType,
    JsonElement? ContentAttributes, bool Private, string? MessageType = null,
    IReadOnlyList<long>? AttachmentIds = null, IReadOnlyList<NewFile>? Files = null) : ICommand<MessageDto>, IConversationCommand
{
    public bool HasFiles => AttachmentIds is { Count: > 0 } || Files is { Count: > 0 };
}

/// <summary>The rules of a message. The hub's hottest call is a plain text message (no files, attributes, type or
/// direction): <see cref="IsPlainlyValid"/> checks that shape by hand, the same rules as below, and lets anything else
/// (and anything it refuses) through FluentValidation, whose messages the errors keep.</summary>
public sealed class SendMessageValidator : AbstractValidator<SendMessage>, IPlainValidation<SendMessage>
{
    private readonly ChatLimits _limits;

    public bool IsPlainlyValid(SendMessage c) =>
        c.ConversationId > 0
        && c.AttachmentIds is null or { Count: 0 } && c.Files is null or { Count: 0 }
        && c.ContentType is null && c.ContentAttributes is null && c.MessageType is null
        && !string.IsNullOrWhiteSpace(c.Content) && c.Content.Length <= _limits.MaxContentLength && WellFormedText.IsWellFormed(c.Content)
        && (c.EchoId is null || (c.EchoId.Length is > 0 and <= ConversationRules.MaxEchoIdLength && WellFormedText.IsWellFormed(c.EchoId)));

    public SendMessageValidator(ChatLimits limits)
    {
        _limits = limits;
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.Content).MessageContent(limits).OverridePropertyName("content").When(c => !c.HasFiles || !string.IsNullOrEmpty(c.Content));
        RuleFor(c => (c.AttachmentIds == null ? 0 : c.AttachmentIds.Count) + (c.Files == null ? 0 : c.Files.Count)).LessThanOrEqualTo(AttachmentFiles.MaxPerMessage)
            .WithMessage($"a message takes at most {AttachmentFiles.MaxPerMessage} attachments").OverridePropertyName("attachments");
        RuleFor(c => c.AttachmentIds).Must(ids => ids is null || ids.Distinct().Count() == ids.Count)
            .WithMessage("attachment_ids must not repeat an id").OverridePropertyName("attachment_ids");
        RuleFor(c => c.EchoId).EchoId().OverridePropertyName("echo_id");
        RuleFor(c => c.ContentType).Must(t => t is null || ContentTypes.ForAgents.Contains(t))
            .WithMessage($"content_type must be one of {string.Join(", ", ContentTypes.ForAgents)}").OverridePropertyName("content_type");
        RuleFor(c => c.ContentAttributes).JsonObjectWithin(limits.MaxAttributesBytes).OverridePropertyName("content_attributes");
        RuleFor(c => c.MessageType).Must(t => t is null or "outgoing" or "incoming")
            .WithMessage("message_type must be outgoing").OverridePropertyName("message_type");
    }
}

public sealed class SendMessageHandler(ChatLimits limits) : ICommandHandler<SendMessage, MessageDto>
{
    public void Authorize(Caller caller, SendMessage command)
    {
        foreach (var file in command.Files ?? []) AttachmentFiles.CheckSize(file, limits);
        if (caller.IsContact && command.Private) throw ChatException.Forbidden("only agents write private notes");
        if (caller.IsContact && (command.ContentType ?? ContentTypes.Text) != ContentTypes.Text)
            throw ChatException.Invalid("content_type", "contacts send text messages only");
        if (caller.IsAgent && command.MessageType == "incoming")
            throw ChatException.Invalid("message_type", "incoming messages are the contact's: an agent's message is outgoing");
        if (caller.IsContact && command.MessageType == "outgoing")
            throw ChatException.Invalid("message_type", "outgoing messages are the agents': a contact's message is incoming");
    }

    public async ValueTask<MessageDto> HandleAsync(SendMessage command, CommandContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        // Started together (one round trip on a server database), in this order: the conversation, held for this
        // change before a retry's original is looked for, the author, and that original (the caller's own only).
        var held = ConversationAccess.ForUpdateAsync(store, caller, command.ConversationId);
        var callerAuthor = Authors.OfCallerAsync(store, caller);
        var retried = command.EchoId is { } echoId
            ? store.FindMessageByEchoAsync(command.ConversationId, caller.SenderType, caller.Id, echoId)
            : ValueTask.FromResult<MessageRow?>(null);
        var c = await held;
        var author = await callerAuthor;
        if (await retried is { } original)
        {
            await AttachmentFiles.LoadAsync(store, [original]);
            return ConversationMapper.ToDto(original, author, c, caller.IsContact); // a retry: not rate limited, nothing new
        }
        context.Limit(RateLimitedAction.Message);
        var files = await AttachmentFiles.ClaimAsync(store, caller, command.AttachmentIds ?? [], limits);
        foreach (var file in command.Files ?? []) files.Add(await AttachmentFiles.StoreAsync(context, file, limits));

        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        if (Reopens(caller, command, c.Status))
        {
            var previous = c.Status;
            (c.Status, c.SnoozedUntil) = (ConversationStatuses.Open, null);
            await ConversationChanges.UpdateAsync(context, c, contactStream,
                [new ChangedAttribute("status", previous, ConversationStatuses.Open)], previous);
        }
        // Agents write any content_attributes (interactive messages); a contact only what Chatwoot's contact side takes.
        var attributes = caller.IsContact
            ? await ContactContentAttributes.KeepAsync(store, c.Id, command.ContentAttributes)
            : JsonText.From(command.ContentAttributes);
        var message = await ConversationChanges.AppendMessageAsync(context, c, contactStream, author, command.Content ?? "", command.EchoId,
            command.ContentType ?? ContentTypes.Text, attributes, command.Private, files);
        return ConversationMapper.ToDto(message, author, c, caller.IsContact);
    }

    /// <summary>Whether the message reopens its conversation. As in Chatwoot, a customer writing into a resolved or
    /// snoozed conversation reopens it. An agent's reply (not a private note) into a resolved one reopens it too, as
    /// Intercom and Crisp do (Chatwoot leaves it resolved): the reply asks the customer something, and the widget
    /// shows a resolved conversation closed, without a message box (docs/chatwoot.md, "Differences").</summary>
    private static bool Reopens(Caller caller, SendMessage command, string status) => caller.IsContact
        ? status is ConversationStatuses.Resolved or ConversationStatuses.Snoozed
        : status == ConversationStatuses.Resolved && !command.Private;
}
