using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Search;

/// <summary>The conversations of the agent's inboxes (or of the one asked) whose contact's name, email, phone number or
/// identifier contains <c>q</c>, or whose id it is, or that have a message matching its words (as
/// <see cref="SearchMessages"/>), of every status, newest activity first, <see cref="SearchRules.ConversationsPageSize"/>
/// a page. Bounded: it looks at the newest <see cref="Reach"/> matching messages and as many contact matches, so a
/// search reaches the ten pages it may show. Each conversation carries its newest matching messages. Chatwoot's
/// <c>GET /conversations/search</c> and <c>/search/conversations</c>.</summary>
public sealed record SearchConversations(string? Q, int? Page, long? InboxId = null) : IQuery<ConversationSearchResult>;

public sealed class SearchConversationsValidator : AbstractValidator<SearchConversations>
{
    public SearchConversationsValidator()
    {
        RuleFor(q => q.Q).Query();
        RuleFor(q => q.Page).Page();
        RuleFor(q => q.InboxId).InboxId();
    }
}

public sealed class SearchConversationsHandler : IQueryHandler<SearchConversations, ConversationSearchResult>
{
    /// <summary>Enough matches of each kind for every page a search may show, and one more.</summary>
    public const int Reach = SearchRules.MaxPage * SearchRules.ConversationsPageSize + 1;
    private const int MessagesPerConversation = 3;

    public async ValueTask<ConversationSearchResult> HandleAsync(SearchConversations query, QueryContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        var (page, q) = (query.Page ?? 1, query.Q!.Trim());
        var inboxIds = await ConversationChanges.AgentInboxesAsync(store, caller, query.InboxId);
        var (byContact, _) = await store.ListConversationsAsync(new ConversationFilter(inboxIds, null, null, false, 0, Reach, Search: q));
        var words = SearchRules.WordsOf(q);
        var byText = await store.SearchMessagesAsync(new MessageSearch(inboxIds, words, 0, Reach));

        var found = byContact.ToDictionary(c => c.Id);
        foreach (var conversationId in byText.Select(m => m.ConversationId).Distinct())
            if (!found.ContainsKey(conversationId) && await store.GetConversationAsync(conversationId) is { } c) found[c.Id] = c;
        var size = SearchRules.ConversationsPageSize;
        var ordered = found.Values.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id).ToList();
        var pageRows = ordered.Skip((page - 1) * size).Take(size).ToList();

        var matchesOf = byText.GroupBy(m => m.ConversationId).ToDictionary(g => g.Key, g => g.Take(MessagesPerConversation).ToList());
        var answers = new List<ConversationDto>(pageRows.Count);
        foreach (var c in pageRows)
        {
            var matches = await AttachmentFiles.LoadAsync(store, matchesOf.GetValueOrDefault(c.Id) ?? []);
            var messages = ConversationMapper.ToDtos(matches, await Authors.OfMessagesAsync(store, matches), c, forContact: false);
            answers.Add(await ConversationChanges.AnswerAsync(store, c, forContact: false, messages));
        }
        return new ConversationSearchResult
        {
            Conversations = answers, Page = page, HasMore = ordered.Count > page * size,
            MineCount = ordered.Count(c => c.AssigneeId == caller.Id), AssignedCount = ordered.Count(c => c.AssigneeId is not null),
            UnassignedCount = ordered.Count(c => c.AssigneeId is null), AllCount = ordered.Count,
        };
    }
}
