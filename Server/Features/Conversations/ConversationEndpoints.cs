using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Features.Conversations;

/// <summary>REST adapters for conversations: Chatwoot's public client API (the customer is the contact named by
/// source_id) and the agent API. Both call the same <see cref="ConversationService"/> as the hub.</summary>
public static class ConversationEndpoints
{
    public sealed record MessageBody(string? Content, string? EchoId, string? ContentType, JsonElement? ContentAttributes, bool? Private);
    public sealed record TypingBody(string? TypingStatus);
    public sealed record StatusBody(string? Status);
    public sealed record AssignmentBody(long? AssigneeId);
    public sealed record SubmitBody(JsonElement? SubmittedValues);
    public sealed record ConversationPage(IReadOnlyList<ConversationDto> Data, PageMeta Meta);
    public sealed record PageMeta(int Count, int Page);

    public static void MapClientConversations(this RouteGroupBuilder inbox)
    {
        var own = inbox.MapGroup("/contacts/{source_id}/conversations");
        own.MapGet("", (string inbox_identifier, string source_id, ContactService contacts, ConversationService conversations) =>
            conversations.List(contacts.CallerFor(inbox_identifier, source_id), new ListConversationsQuery("all", null, null, null)).Page);
        own.MapPost("", (string inbox_identifier, string source_id, StartConversationRequest? body, ContactService contacts,
            ConversationService conversations) =>
            conversations.StartAsync(contacts.CallerFor(inbox_identifier, source_id),
                new StartConversationCommand(body?.CustomAttributes, body?.Message)));

        var one = own.MapGroup("/{conversation_id:long}");
        one.MapGet("", (string inbox_identifier, string source_id, long conversation_id, ContactService contacts,
            ConversationService conversations) => conversations.Get(contacts.CallerFor(inbox_identifier, source_id), conversation_id));
        one.MapPost("/toggle_status", (string inbox_identifier, string source_id, long conversation_id, ContactService contacts,
            ConversationService conversations) => conversations.SetStatusAsync(contacts.CallerFor(inbox_identifier, source_id),
                new SetStatusCommand(conversation_id, ConversationStatuses.Resolved)));
        one.MapPost("/toggle_typing", (string inbox_identifier, string source_id, long conversation_id, TypingBody? body,
            ContactService contacts, ConversationService conversations) =>
        {
            conversations.SetTyping(contacts.CallerFor(inbox_identifier, source_id), new SetTypingCommand(conversation_id, IsTyping(body)));
            return Results.Ok();
        });
        one.MapPost("/update_last_seen", async (string inbox_identifier, string source_id, long conversation_id,
            ContactService contacts, ConversationService conversations) =>
        {
            await conversations.MarkSeenAsync(contacts.CallerFor(inbox_identifier, source_id), conversation_id);
            return Results.Ok();
        });
        one.MapGet("/messages", (string inbox_identifier, string source_id, long conversation_id, long? before,
            [FromQuery(Name = "after_seq")] long? afterSeq, int? limit, ContactService contacts, ConversationService conversations) =>
            conversations.GetMessages(contacts.CallerFor(inbox_identifier, source_id),
                new GetMessagesQuery(conversation_id, before, afterSeq, limit)).Messages);
        one.MapPost("/messages", (string inbox_identifier, string source_id, long conversation_id, MessageBody? body,
            ContactService contacts, ConversationService conversations) =>
            conversations.SendAsync(contacts.CallerFor(inbox_identifier, source_id), ToCommand(conversation_id, body)));
        one.MapPatch("/messages/{message_id:long}", (string inbox_identifier, string source_id, long conversation_id, long message_id,
            SubmitBody? body, ContactService contacts, ConversationService conversations) =>
        {
            var caller = contacts.CallerFor(inbox_identifier, source_id);
            return conversations.SubmitValuesAsync(caller, new SubmitValuesCommand(message_id, body?.SubmittedValues), conversation_id);
        });
    }

    public static void MapAgentConversations(this RouteGroupBuilder api)
    {
        api.MapGet("/conversations", (string? status, [FromQuery(Name = "inbox_id")] long? inboxId, string? assignee, int? page,
            HttpContext http, ConversationService conversations) =>
        {
            var (data, total, number) = conversations.List(http.Agent(), new ListConversationsQuery(status, inboxId, assignee, page));
            return new ConversationPage(data, new PageMeta(total, number));
        });

        var one = api.MapGroup("/conversations/{id:long}");
        one.MapGet("", (long id, HttpContext http, ConversationService conversations) => conversations.Get(http.Agent(), id));
        one.MapGet("/messages", (long id, long? before, [FromQuery(Name = "after_seq")] long? afterSeq, int? limit,
            HttpContext http, ConversationService conversations) =>
            conversations.GetMessages(http.Agent(), new GetMessagesQuery(id, before, afterSeq, limit)).Messages);
        one.MapPost("/messages", (long id, MessageBody? body, HttpContext http, ConversationService conversations) =>
            conversations.SendAsync(http.Agent(), ToCommand(id, body)));
        one.MapPost("/assignments", (long id, AssignmentBody? body, HttpContext http, ConversationService conversations) =>
            conversations.AssignAsync(http.Agent(), new AssignCommand(id, body?.AssigneeId)));
        one.MapPost("/toggle_status", (long id, StatusBody? body, HttpContext http, ConversationService conversations) =>
            conversations.SetStatusAsync(http.Agent(), new SetStatusCommand(id, body?.Status)));
        one.MapPost("/toggle_typing", (long id, TypingBody? body, HttpContext http, ConversationService conversations) =>
        {
            conversations.SetTyping(http.Agent(), new SetTypingCommand(id, IsTyping(body)));
            return Results.Ok();
        });
        one.MapPost("/update_last_seen", async (long id, HttpContext http, ConversationService conversations) =>
        {
            await conversations.MarkSeenAsync(http.Agent(), id);
            return Results.Ok();
        });
    }

    private static SendMessageCommand ToCommand(long conversationId, MessageBody? body) =>
        new(conversationId, body?.Content, body?.EchoId, body?.ContentType, body?.ContentAttributes, body?.Private ?? false);

    private static bool IsTyping(TypingBody? body) => body?.TypingStatus switch
    {
        "on" => true,
        "off" => false,
        _ => throw ChatException.Invalid("typing_status", "typing_status must be on or off"),
    };
}
