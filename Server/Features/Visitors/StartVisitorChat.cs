using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Visitors;

/// <summary>An agent of the inbox starts a conversation with a visitor on the site, with the agent's message: with the
/// visitor's contact (a returning customer's, or the signed identifier's), or a new contact made now (an HMAC inbox only
/// ever has signed visitors, so the identity rule of <see cref="CreateContact"/> holds). Once committed, the visitor's
/// record names the chat (<see cref="VisitorInvited"/>): the widget learns it at its next report and opens with the
/// message; a widget already connected as that contact gets the conversation pushed at once.</summary>
public sealed record StartVisitorChat(long InboxId, string? VisitorId, string? Content) : ICommand<ConversationDto>;

public sealed class StartVisitorChatValidator : AbstractValidator<StartVisitorChat>
{
    public StartVisitorChatValidator(ChatLimits limits)
    {
        RuleFor(c => c.VisitorId).NotEmpty().MaximumLength(64).OverridePropertyName("visitor_id");
        RuleFor(c => c.Content).MessageContent(limits).OverridePropertyName("content");
    }
}

public sealed class StartVisitorChatHandler(IVisitorBoard board, Assignment.AutoAssignment autoAssignment, IOptions<VisitorOptions> options)
    : ICommandHandler<StartVisitorChat, ConversationDto>
{
    public void Authorize(Caller caller, StartVisitorChat command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents start chats with visitors");
    }

    public async ValueTask<ConversationDto> HandleAsync(StartVisitorChat command, CommandContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        var inbox = await store.GetInboxAsync(command.InboxId) ?? throw ChatException.NotFound("inbox");
        if (!await store.IsMemberAsync(inbox.Id, caller.Id)) throw ChatException.Forbidden("you are not a member of this inbox");
        var visitor = await board.GetAsync(inbox.Id, command.VisitorId!);
        if (visitor is null || Clock.NowMs() - visitor.LastSeenAt > options.Value.PresenceWindow.TotalMilliseconds)
            throw ChatException.NotFound("visitor");
        context.Limit(RateLimitedAction.ConversationStart);
        context.Limit(RateLimitedAction.Message);

        var invitation = await board.GetInvitationAsync(inbox.Id, visitor.Id);
        var contact = await ContactOfAsync(context, inbox, visitor.ContactId ?? invitation?.ContactId, visitor.VerifiedIdentifier);
        var page = visitor.Pages.LastOrDefault();
        var attributes = page is null ? null : new Dictionary<string, JsonElement>
        {
            ["page_url"] = JsonSerializer.SerializeToElement(page.Url.Length > 500 ? page.Url[..500] : page.Url),
            ["page_title"] = JsonSerializer.SerializeToElement(page.Title is { Length: > 200 } t ? t[..200] : page.Title ?? ""),
        };
        var c = await ConversationChanges.CreateAsync(context, contact, attributes, autoAssignment);
        var author = await Authors.OfCallerAsync(store, caller);
        var m = await ConversationChanges.AppendMessageAsync(context, c, contact.PubsubToken, author, command.Content!, null, ContentTypes.Text, null,
            isPrivate: false);
        context.Raise(new VisitorInvited(inbox.Id, visitor.Id, contact.Id, c.Id));
        return await ConversationChanges.AnswerAsync(store, c, forContact: false, [ConversationMapper.ToDto(m, author, c, forContact: false)]);
    }

    /// <summary>The visitor's contact, held for the new conversation: the one it reported, the one an earlier chat made,
    /// the signed identifier's, or a new one.</summary>
    private static async ValueTask<ContactRow> ContactOfAsync(CommandContext context, InboxRow inbox, long? knownContactId,
        string? verifiedIdentifier)
    {
        var store = context.Store;
        if (knownContactId is { } known && await store.GetContactForUpdateAsync(known) is { } held && held.InboxId == inbox.Id) return held;
        if (verifiedIdentifier is { } identifier && await store.FindVerifiedContactByIdentifierAsync(inbox.Id, identifier) is { } signed)
            return (await store.GetContactForUpdateAsync(signed.Id))!;
        if (inbox.HmacMandatory && verifiedIdentifier is null) throw ChatException.Forbidden("this inbox only chats with signed visitors");
        var contact = ContactChanges.New(inbox.Id, Guid.NewGuid().ToString());
        (contact.Identifier, contact.HmacVerified, contact.Name) = (verifiedIdentifier, verifiedIdentifier is not null, ContactNames.Generate());
        return await ContactChanges.InsertAsync(context, contact);
    }
}
