using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Search;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's search endpoints under <c>/api/v1/accounts/{account_id}</c> (issue 25): <c>/search</c> (the first
/// page of conversations, contacts and messages), <c>/search/conversations</c>, <c>/search/contacts</c>,
/// <c>/search/messages</c>, and <c>/conversations/search</c> (the conversation list's envelope). Arguments to the use
/// cases, answers to Chatwoot's shapes (<see cref="ChatwootSearch"/>), nothing else.</summary>
public static class SearchEndpoints
{
    public static void MapSearch(this RouteGroupBuilder account)
    {
        account.MapGet("/conversations/search", async (string? q, int? page, [FromQuery(Name = "inbox_id")] long? inboxId, HttpContext http, Dispatcher use) =>
            ChatwootSearch.List(await use.AskAsync<SearchConversations, ConversationSearchResult>(http.Agent(), new SearchConversations(q, page, inboxId))));

        var search = account.MapGroup("/search");
        search.MapGet("", async (string? q, HttpContext http, Dispatcher use) => ChatwootSearch.All(
            await use.AskAsync<SearchConversations, ConversationSearchResult>(http.Agent(), new SearchConversations(q, null)),
            await use.AskAsync<SearchContacts, ContactPage>(http.Agent(), new SearchContacts(q, null)),
            await use.AskAsync<SearchMessages, MessageSearchResult>(http.Agent(), new SearchMessages(q, null))));
        search.MapGet("/conversations", async (string? q, int? page, [FromQuery(Name = "inbox_id")] long? inboxId, HttpContext http, Dispatcher use) =>
            ChatwootSearch.Conversations(await use.AskAsync<SearchConversations, ConversationSearchResult>(http.Agent(), new SearchConversations(q, page, inboxId))));
        search.MapGet("/contacts", async (string? q, int? page, HttpContext http, Dispatcher use) =>
            ChatwootSearch.Contacts(await use.AskAsync<SearchContacts, ContactPage>(http.Agent(), new SearchContacts(q, page))));
        search.MapGet("/messages", async (string? q, int? page, [FromQuery(Name = "inbox_id")] long? inboxId, HttpContext http, Dispatcher use) =>
            ChatwootSearch.Messages(await use.AskAsync<SearchMessages, MessageSearchResult>(http.Agent(), new SearchMessages(q, page, inboxId))));
    }
}
