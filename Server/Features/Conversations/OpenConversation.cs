using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>An agent or bot opens an outbound conversation with a contact of an inbox it is a member of, optionally
/// with its first (outgoing) message: the application API's <c>POST /conversations</c>. The contact is named by
/// <c>contact_id</c>, or by <c>source_id</c> in the inbox (a bot that made the contact through the client API knows
/// it); it must belong to <c>inbox_id</c>. Unlike a contact's own start, there is no echoId to recognise a retry: a
/// retried call opens a second conversation, as in Chatwoot.</summary>
public sealed record OpenConversation(long? InboxId, long? ContactId, string? SourceId, Dictionary<string, JsonElement>? CustomAttributes,
    string? Content) : ICommand<ConversationDto>, IContactCommand;

public sealed class OpenConversationValidator : AbstractValidator<OpenConversation>
{
    public OpenConversationValidator(ChatLimits limits)
    {
        RuleFor(c => c.InboxId).NotNull().WithMessage("inbox_id is required").OverridePropertyName("inbox_id");
        RuleFor(c => c.ContactId).NotNull().When(c => c.SourceId is null)
            .WithMessage("contact_id or source_id is required").OverridePropertyName("contact_id");
        RuleFor(c => c.SourceId).MaximumLength(Validation.MaxSourceIdLength).WellFormed().OverridePropertyName("source_id");
        RuleFor(c => c.CustomAttributes).AttributesWithin(limits.MaxAttributesBytes).OverridePropertyName("custom_attributes");
        RuleFor(c => c.Content).MessageContent(limits).When(c => c.Content is not null).OverridePropertyName("message.content");
    }
}

public sealed class OpenConversationHandler(Assignment.AutoAssignment autoAssignment) : ICommandHandler<OpenConversation, ConversationDto>
{
    public void Authorize(Caller caller, OpenConversation command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents open conversations here; a contact starts its own through the client API");
    }

    public async ValueTask<ConversationDto> HandleAsync(OpenConversation command, CommandContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        var inboxId = command.InboxId!.Value;
        if (await store.GetInboxAsync(inboxId) is null) throw ChatException.NotFound("inbox");
        if (!await store.IsMemberAsync(inboxId, caller.Id)) throw ChatException.Forbidden("you are not a member of this inbox");
        var found = command.ContactId is { } contactId
            ? await store.GetContactAsync(contactId)
            : await store.FindContactBySourceIdAsync(inboxId, command.SourceId!);
        if (found is null) throw ChatException.NotFound("contact");
        if (found.InboxId != inboxId) throw ChatException.Invalid("contact_id", "the contact belongs to another inbox");
        // Held, as a contact's own start holds it: its conversations are created one at a time.
        var contact = (await store.GetContactForUpdateAsync(found.Id))!;
        context.Limit(RateLimitedAction.ConversationStart);
        if (command.Content is not null) context.Limit(RateLimitedAction.Message);

        var c = await ConversationChanges.CreateAsync(context, contact, command.CustomAttributes, autoAssignment);
        IReadOnlyList<MessageDto> messages = [];
        if (command.Content is { } content)
        {
            var author = await Authors.OfCallerAsync(store, caller);
            var m = await ConversationChanges.AppendMessageAsync(context, c, contact.PubsubToken, author, content, null, ContentTypes.Text, null,
                isPrivate: false);
            messages = [ConversationMapper.ToDto(m, author, c, forContact: false)];
        }
        return await ConversationChanges.AnswerAsync(store, c, forContact: false, messages);
    }
}
