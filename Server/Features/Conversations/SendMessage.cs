using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>A message into a conversation, from its contact or an agent of its inbox (agents may write private
/// notes and interactive messages). The same echoId again returns the original: nothing stored, nothing pushed.</summary>
/// <param name="MessageType">Chatwoot's application API names the direction ("outgoing", or omitted); the sender
/// decides it: a contact's messages are incoming, an agent's outgoing, so "incoming" from an agent is refused.</param>
public sealed record SendMessage(long ConversationId, string? Content, string? EchoId, string? ContentType,
    JsonElement? ContentAttributes, bool Private, string? MessageType = null) : ICommand<MessageDto>;

public sealed class SendMessageValidator : AbstractValidator<SendMessage>
{
    public SendMessageValidator(ChatLimits limits)
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.Content).MessageContent(limits).OverridePropertyName("content");
        RuleFor(c => c.EchoId).EchoId().OverridePropertyName("echo_id");
        RuleFor(c => c.ContentType).Must(t => t is null || ContentTypes.ForAgents.Contains(t))
            .WithMessage($"content_type must be one of {string.Join(", ", ContentTypes.ForAgents)}").OverridePropertyName("content_type");
        RuleFor(c => c.ContentAttributes).JsonObjectWithin(limits.MaxAttributesBytes).OverridePropertyName("content_attributes");
        RuleFor(c => c.MessageType).Must(t => t is null or "outgoing" or "incoming")
            .WithMessage("message_type must be outgoing").OverridePropertyName("message_type");
    }
}

public sealed class SendMessageHandler : ICommandHandler<SendMessage, MessageDto>
{
    public void Authorize(Caller caller, SendMessage command)
    {
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
        var c = await ConversationAccess.ForUpdateAsync(store, caller, command.ConversationId);
        var author = await Authors.OfCallerAsync(store, caller);
        if (command.EchoId is { } echoId && await store.FindMessageByEchoAsync(c.Id, caller.SenderType, caller.Id, echoId) is { } original)
            return ConversationMapper.ToDto(original, author, c, caller.IsContact); // a retry: not rate limited, nothing new
        context.Limit(RateLimitedAction.Message);

        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        if (caller.IsContact && c.Status == ConversationStatuses.Resolved)
        {
            // As in Chatwoot, a customer writing into a resolved conversation reopens it.
            c.Status = ConversationStatuses.Open;
            await ConversationChanges.UpdateAsync(context, c, contactStream, previousStatus: ConversationStatuses.Resolved);
        }
        var message = await ConversationChanges.AppendMessageAsync(context, c, contactStream, author, command.Content!, command.EchoId,
            command.ContentType ?? ContentTypes.Text, JsonText.From(command.ContentAttributes), command.Private);
        return ConversationMapper.ToDto(message, author, c, caller.IsContact);
    }
}
