using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Rest;

/// <summary>The application API's directory endpoints that integrations call (agents, inboxes, contacts, opening a
/// conversation, the conversation counts), under <c>/api/v1/accounts/{account_id}</c>: arguments to a use case,
/// its answer to Chatwoot's shape (<see cref="ChatwootDirectory"/>), nothing else.</summary>
public static class AccountEndpoints
{
    public sealed record AccountContactBody(long? InboxId, string? Name, string? Email, string? PhoneNumber, string? Identifier,
        string? AvatarUrl, Dictionary<string, JsonElement>? CustomAttributes)
    {
        public ContactFields Fields => new(Identifier, null, Name, Email, PhoneNumber, CustomAttributes, AvatarUrl: AvatarUrl);
    }

    public sealed record NewConversationBody(long? InboxId, long? ContactId, string? SourceId, Dictionary<string, JsonElement>? CustomAttributes,
        NewMessage? Message);

    public static void MapAccountDirectory(this RouteGroupBuilder account)
    {
        account.MapGet("/agents", async (HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Agents(await use.AskAsync<ListAccountAgents, IReadOnlyList<AgentDto>>(http.Agent(), new ListAccountAgents())));

        account.MapGet("/inboxes", async (HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Inboxes(await use.AskAsync<ListAccountInboxes, IReadOnlyList<InboxAdminDto>>(http.Agent(), new ListAccountInboxes())));
        account.MapGet("/inboxes/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Inbox(await use.AskAsync<GetAccountInbox, InboxAdminDto>(http.Agent(), new GetAccountInbox(id))));
        // inboxes#update: ChatwootInboxEndpoints.

        var contacts = account.MapGroup("/contacts");
        contacts.MapGet("", async (int? page, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Contacts(await use.AskAsync<ListContacts, ContactPage>(http.Agent(), new ListContacts(page))));
        contacts.MapGet("/search", async (string? q, int? page, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Contacts(await use.AskAsync<SearchContacts, ContactPage>(http.Agent(), new SearchContacts(q, page))));
        contacts.MapPost("", async (AccountContactBody? body, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Created(await use.SendAsync<CreateAccountContact, AccountContact>(http.Agent(),
                new CreateAccountContact(body?.InboxId, body?.Fields ?? ContactFields.None))));
        contacts.MapGet("/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.OneContact(await use.AskAsync<ShowContact, AccountContact>(http.Agent(), new ShowContact(id))));
        contacts.MapMethods("/{id:long}", ["PUT", "PATCH"], async (long id, AccountContactBody? body, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.OneContact(await use.SendAsync<UpdateAccountContact, AccountContact>(http.Agent(),
                new UpdateAccountContact(id, body?.Fields ?? ContactFields.None))));
        contacts.MapGet("/{id:long}/conversations", async (long id, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Conversations(await use.AskAsync<ListContactConversations, IReadOnlyList<ConversationDto>>(
                http.Agent(), new ListContactConversations(id))));

        account.MapPost("/conversations", async (NewConversationBody? body, HttpContext http, Dispatcher use) =>
            ChatwootShapes.ToApplicationConversation(await use.SendAsync<OpenConversation, ConversationDto>(http.Agent(), new OpenConversation(
                body?.InboxId, body?.ContactId, body?.SourceId, body?.CustomAttributes, body?.Message?.Content))));
        account.MapGet("/conversations/meta", async (string? status, [FromQuery(Name = "inbox_id")] long? inboxId, string? q,
            [FromQuery(Name = "team_id")] long? teamId, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Counts(await use.AskAsync<CountConversations, ConversationCounts>(http.Agent(),
                new CountConversations(status, inboxId, ApplicationApiEndpoints.LabelsParameter(http.Request), q, teamId))));
    }
}
