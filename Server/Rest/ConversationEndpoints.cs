using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Rest;

/// <summary>REST adapters for conversations: Chatwoot's public client API (the customer is the contact named by
/// source_id; answers in Chatwoot's shapes, <see cref="ChatwootShapes"/>) and ChatHub's own agent API (answers as the
/// DTOs). They map arguments to the same use cases as the hub, and nothing else.</summary>
public static class ConversationEndpoints
{
    public sealed record MessageBody(string? Content, string? EchoId, string? ContentType, JsonElement? ContentAttributes, bool? Private,
        string? MessageType = null);
    public sealed record TypingBody(string? TypingStatus);
    public sealed record StatusBody(string? Status);
    public sealed record SubmitBody(JsonElement? SubmittedValues);
    public sealed record ConversationPageBody(IReadOnlyList<ConversationDto> Data, PageMeta Meta);
    public sealed record PageMeta(int Count, int Page);

    public static void MapClientConversations(this RouteGroupBuilder inbox)
    {
        var own = inbox.MapGroup("/contacts/{source_id}/conversations");
        own.MapGet("", async (string inbox_identifier, string source_id, ContactCredentials contacts, Dispatcher use) =>
            ChatwootShapes.ToConversations((await use.AskAsync<ListConversations, ConversationPage>(
                await contacts.ResolveAsync(inbox_identifier, source_id), new ListConversations(null, null, null, null))).Conversations));
        own.MapPost("", async (string inbox_identifier, string source_id, StartConversationRequest? body, ContactCredentials contacts,
            Dispatcher use) => ChatwootShapes.ToConversation(await use.SendAsync<StartConversation, ConversationDto>(
                await contacts.ResolveAsync(inbox_identifier, source_id), new StartConversation(body?.CustomAttributes, body?.Message, body?.CampaignId))));

        var one = own.MapGroup("/{conversation_id:long}");
        one.MapGet("", async (string inbox_identifier, string source_id, long conversation_id, ContactCredentials contacts, Dispatcher use) =>
            ChatwootShapes.ToConversation(await use.AskAsync<GetConversation, ConversationDto>(
                await contacts.ResolveAsync(inbox_identifier, source_id), new GetConversation(conversation_id))));
        one.MapPost("/toggle_status", async (string inbox_identifier, string source_id, long conversation_id, ContactCredentials contacts,
            Dispatcher use) => ChatwootShapes.ToConversation(await use.SendAsync<SetStatus, ConversationDto>(
                await contacts.ResolveAsync(inbox_identifier, source_id), new SetStatus(conversation_id, null))));
        // Chatwoot's clients send typing_status in the query (the web widget) or the body (the SDKs).
        one.MapPost("/toggle_typing", async (string inbox_identifier, string source_id, long conversation_id,
            [FromQuery(Name = "typing_status")] string? typingStatus, TypingBody? body, ContactCredentials contacts, Dispatcher use) =>
        {
            await use.AskAsync<SetTyping, Done>(await contacts.ResolveAsync(inbox_identifier, source_id),
                new SetTyping(conversation_id, TypingStatuses.IsTyping(body?.TypingStatus ?? typingStatus)));
            return Results.Ok();
        });
        one.MapPost("/update_last_seen", async (string inbox_identifier, string source_id, long conversation_id,
            ContactCredentials contacts, Dispatcher use) =>
        {
            await use.SendAsync<MarkSeen, Done>(await contacts.ResolveAsync(inbox_identifier, source_id), new MarkSeen(conversation_id));
            return Results.Ok();
        });
        // Chatwoot's widget asks for a transcript at /api/v1/widget/conversations/transcript; the client API's place for it.
        one.MapPost("/transcript", async (string inbox_identifier, string source_id, long conversation_id, ContactCredentials contacts,
            Dispatcher use) =>
        {
            await use.AskAsync<Features.Email.SendTranscript, Done>(await contacts.ResolveAsync(inbox_identifier, source_id),
                new Features.Email.SendTranscript(conversation_id));
            return Results.Ok();
        });
        one.MapGet("/messages", async (string inbox_identifier, string source_id, long conversation_id, long? before,
            [FromQuery(Name = "after_seq")] long? afterSeq, int? limit, ContactCredentials contacts, Dispatcher use) =>
            ChatwootShapes.ToMessages((await use.AskAsync<GetMessages, GetMessagesResult>(await contacts.ResolveAsync(inbox_identifier, source_id),
                new GetMessages(conversation_id, before, afterSeq, limit))).Messages));
        one.MapPost("/messages", async (string inbox_identifier, string source_id, long conversation_id, MessageBody? body,
            ContactCredentials contacts, Dispatcher use) => ChatwootShapes.ToMessage(
                await use.SendAsync<SendMessage, MessageDto>(await contacts.ResolveAsync(inbox_identifier, source_id), ToCommand(conversation_id, body))));
        one.MapMessageWithFiles("conversation_id", http => http.RequestServices.GetRequiredService<ContactCredentials>()
            .ResolveAsync((string)http.Request.RouteValues["inbox_identifier"]!, (string)http.Request.RouteValues["source_id"]!), ChatwootShapes.ToMessage);
        one.MapPatch("/messages/{message_id:long}", async (string inbox_identifier, string source_id, long conversation_id, long message_id,
            SubmitBody? body, ContactCredentials contacts, Dispatcher use) => ChatwootShapes.ToMessage(
                await use.SendAsync<SubmitValues, MessageDto>(await contacts.ResolveAsync(inbox_identifier, source_id),
                    new SubmitValues(message_id, body?.SubmittedValues, conversation_id))));
    }

    public static void MapAgentConversations(this RouteGroupBuilder api)
    {
        api.MapGet("/conversations", async (string? status, [FromQuery(Name = "inbox_id")] long? inboxId, string? assignee, int? page,
            HttpContext http, Dispatcher use) =>
        {
            var result = await use.AskAsync<ListConversations, ConversationPage>(http.Agent(), new ListConversations(status, inboxId, assignee, page));
            return new ConversationPageBody(result.Conversations, new PageMeta(result.Total, result.Page));
        });

        var one = api.MapGroup("/conversations/{id:long}");
        one.MapGet("", (long id, HttpContext http, Dispatcher use) => use.AskAsync<GetConversation, ConversationDto>(http.Agent(), new GetConversation(id)));
        one.MapGet("/messages", async (long id, long? before, [FromQuery(Name = "after_seq")] long? afterSeq, int? limit,
            HttpContext http, Dispatcher use) =>
            (await use.AskAsync<GetMessages, GetMessagesResult>(http.Agent(), new GetMessages(id, before, afterSeq, limit))).Messages);
        one.MapPost("/messages", (long id, MessageBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<SendMessage, MessageDto>(http.Agent(), ToCommand(id, body)));
        one.MapMessageWithFiles("id", http => Task.FromResult(http.Agent()), message => message);
        one.MapPost("/assignments", (long id, System.Text.Json.JsonElement? body, HttpContext http, Dispatcher use) =>
            TeamEndpoints.AssignAsync(TeamEndpoints.AssignmentOf(id, body), http, use));
        one.MapPost("/toggle_status", (long id, StatusBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<SetStatus, ConversationDto>(http.Agent(), new SetStatus(id, body?.Status)));
        one.MapPost("/toggle_typing", async (long id, TypingBody? body, HttpContext http, Dispatcher use) =>
        {
            await use.AskAsync<SetTyping, Done>(http.Agent(), new SetTyping(id, TypingStatuses.IsTyping(body?.TypingStatus)));
            return Results.Ok();
        });
        one.MapPost("/update_last_seen", async (long id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<MarkSeen, Done>(http.Agent(), new MarkSeen(id));
            return Results.Ok();
        });
    }

    public static SendMessage ToCommand(long conversationId, MessageBody? body) =>
        new(conversationId, body?.Content, body?.EchoId, body?.ContentType, body?.ContentAttributes, body?.Private ?? false, body?.MessageType);
}
