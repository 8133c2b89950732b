using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Conversations;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Contacts;

/// <summary>A contact's conversations, newest activity first, at most 20 (as Chatwoot), for an agent who sees the
/// contact: the application API's <c>GET /contacts/{id}/conversations</c>. Only conversations the agent could open
/// (<see cref="ConversationAccess"/>: a member of their inbox); an administrator outside the contact's inbox sees the
/// contact and an empty list.</summary>
public sealed record ListContactConversations(long ContactId) : IQuery<IReadOnlyList<ConversationDto>>;

public sealed class ListContactConversationsHandler(IOptions<ChatLimits> limits) : IQueryHandler<ListContactConversations, IReadOnlyList<ConversationDto>>
{
    public const int MaxConversations = 20;

    public async ValueTask<IReadOnlyList<ConversationDto>> HandleAsync(ListContactConversations query, QueryContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        var contact = await ContactAccess.ReadAsync(store, caller, query.ContactId);
        if (!await store.IsMemberAsync(contact.InboxId, caller.Id)) return [];
        var answers = new List<ConversationDto>();
        foreach (var c in (await store.ListConversationsOfContactAsync(contact.Id)).Take(MaxConversations))
            answers.Add(await ConversationChanges.AnswerAsync(store, c, forContact: false,
                await ConversationChanges.LatestMessagesAsync(store, c, forContact: false, limits.Value.DefaultPageSize)));
        return answers;
    }
}
