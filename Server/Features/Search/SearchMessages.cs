using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Search;

/// <summary>The messages of the agent's inboxes (or of the one asked, if a member) whose text has, for each word of
/// <c>q</c>, a word starting with it; newest first, <see cref="SearchRules.MessagesPageSize"/> a page. Private notes are
/// found too (only agents search); activity lines are not. Each hit carries its conversation's essentials and a snippet.
/// The console's search, Chatwoot's <c>GET /search/messages</c>.</summary>
public sealed record SearchMessages(string? Q, int? Page, long? InboxId = null) : IQuery<MessageSearchResult>;

public sealed class SearchMessagesValidator : AbstractValidator<SearchMessages>
{
    public SearchMessagesValidator()
    {
        RuleFor(q => q.Q).Query();
        RuleFor(q => q.Page).Page();
        RuleFor(q => q.InboxId).InboxId();
    }
}

public sealed class SearchMessagesHandler : IQueryHandler<SearchMessages, MessageSearchResult>
{
    public async ValueTask<MessageSearchResult> HandleAsync(SearchMessages query, QueryContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        var page = query.Page ?? 1;
        var words = SearchRules.WordsOf(query.Q!);
        var inboxIds = await ConversationChanges.AgentInboxesAsync(store, caller, query.InboxId);
        var size = SearchRules.MessagesPageSize;
        var rows = await store.SearchMessagesAsync(new MessageSearch(inboxIds, words, (page - 1) * size, size + 1));
        var found = await AttachmentFiles.LoadAsync(store, rows.Take(size).ToList());
        var authors = await Authors.OfMessagesAsync(store, found);
        var conversations = new Dictionary<long, ConversationRow>();
        var contactNames = new Dictionary<long, string?>();
        var hits = new List<MessageSearchHit>(found.Count);
        foreach (var m in found)
        {
            if (!conversations.TryGetValue(m.ConversationId, out var c))
                conversations[m.ConversationId] = c = await store.GetConversationAsync(m.ConversationId)
                    ?? throw new InvalidOperationException($"message {m.Id} has no conversation");
            if (!contactNames.TryGetValue(c.ContactId, out var contactName))
                contactNames[c.ContactId] = contactName = (await store.GetContactAsync(c.ContactId))?.Name;
            var (snippet, highlights) = SearchSnippet.Of(m.Content, words);
            hits.Add(new MessageSearchHit
            {
                Message = ConversationMapper.ToDto(m, authors.Of(m), c, forContact: false),
                ConversationId = c.Id, InboxId = c.InboxId, Status = c.Status, ContactName = contactName,
                Snippet = snippet, Highlights = highlights,
            });
        }
        return new MessageSearchResult { Messages = hits, Page = page, HasMore = rows.Count > size };
    }
}
