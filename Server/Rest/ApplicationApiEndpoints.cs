using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Conversations;
using Microsoft.AspNetCore.Mvc;
using static ChatHub.Server.Rest.ConversationEndpoints;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's application API for agents and bots, under <c>/api/v1/accounts/{account_id}</c> (ChatHub has
/// one account, <see cref="ChatwootAccount.Id"/>; any other id is "not found"), authenticated by the agent's
/// <c>api_access_token</c> like the rest of <c>/api/v1</c>. The same use cases as ChatHub's own agent API and the
/// hub; answers in Chatwoot's shapes.</summary>
public static class ApplicationApiEndpoints
{
    public static void MapApplicationApi(this RouteGroupBuilder api)
    {
        var account = api.MapGroup("/accounts/{account_id:long}").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.RouteValues["account_id"] is string id && id == ChatwootAccount.Id.ToString()
                ? await next(context)
                : throw ChatException.NotFound("account"));

        account.MapWebhooks();
        account.MapInboxMembers();
        account.MapAccountDirectory();
        account.MapChatwootInboxUpdate();
        account.MapLabels();
        account.MapTeams();
        account.MapCannedResponses();
        account.MapContactNotes();
        account.MapCampaigns();
        account.MapPostChatForms();
        account.MapSearch();

        account.MapGet("/profile", AgentEndpoints.ProfileAsync);

        account.MapGet("/conversations", async (string? status, [FromQuery(Name = "inbox_id")] long? inboxId,
            [FromQuery(Name = "assignee_type")] string? assigneeType, int? page, string? q, [FromQuery(Name = "team_id")] long? teamId,
            HttpContext http, Dispatcher use) =>
        {
            var labels = LabelsParameter(http.Request);
            var list = await use.AskAsync<ListConversations, ConversationPage>(http.Agent(),
                new ListConversations(status, inboxId, assigneeType, page, labels, q, TeamId: teamId));
            var counts = await use.AskAsync<CountConversations, ConversationCounts>(http.Agent(), new CountConversations(status, inboxId, labels, q, teamId));
            return ChatwootShapes.ToList(list, counts);
        });

        var one = account.MapGroup("/conversations/{id:long}");
        one.MapGet("", async (long id, HttpContext http, Dispatcher use) =>
            ChatwootShapes.ToApplicationConversation(await use.AskAsync<GetConversation, ConversationDto>(http.Agent(), new GetConversation(id))));
        one.MapGet("/messages", async (long id, long? before, [FromQuery(Name = "after_seq")] long? afterSeq, int? limit,
            HttpContext http, Dispatcher use) =>
            ChatwootShapes.ToMessageList(await use.AskAsync<GetMessages, GetMessagesResult>(http.Agent(), new GetMessages(id, before, afterSeq, limit))));
        one.MapPost("/messages", async (long id, MessageBody? body, HttpContext http, Dispatcher use) =>
            ChatwootShapes.ToMessage(await use.SendAsync<SendMessage, MessageDto>(http.Agent(), ToCommand(id, body))));
        one.MapMessageWithFiles("id", http => Task.FromResult(http.Agent()), ChatwootShapes.ToMessage);
        one.MapPost("/assignments", async (long id, System.Text.Json.JsonElement? body, HttpContext http, Dispatcher use) =>
        {
            var command = TeamEndpoints.AssignmentOf(id, body);
            var conversation = await TeamEndpoints.AssignAsync(command, http, use);
            // Chatwoot answers the assignee (the _agent partial), or the team for a team assignment.
            return command is Assign ? ChatwootShapes.ToAssignee(conversation) : (object?)conversation.Team;
        });
        one.MapPost("/toggle_status", async (long id, LabelEndpoints.SnoozableStatusBody? body, HttpContext http, Dispatcher use) =>
            ChatwootShapes.ToStatusToggled(await use.SendAsync<SetStatus, ConversationDto>(http.Agent(), new SetStatus(id, body?.Status, body?.SnoozedUntil))));
        one.MapConversationLabels();
        one.MapPost("/toggle_typing_status", async (long id, [FromQuery(Name = "typing_status")] string? typingStatus, TypingBody? body,
            HttpContext http, Dispatcher use) =>
        {
            await use.AskAsync<SetTyping, Done>(http.Agent(), new SetTyping(id, TypingStatuses.IsTyping(body?.TypingStatus ?? typingStatus)));
            return Results.Ok();
        });
        one.MapPost("/update_last_seen", async (long id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<MarkSeen, Done>(http.Agent(), new MarkSeen(id));
            return Results.Ok();
        });
    }

    /// <summary>Chatwoot's <c>labels</c> parameter as Rails reads it: <c>labels[]=a&amp;labels[]=b</c>, or a comma
    /// separated <c>labels=a,b</c> (acts-as-taggable's tag list); null when not given. The use case bounds it.</summary>
    internal static IReadOnlyList<string?>? LabelsParameter(HttpRequest request)
    {
        var values = request.Query["labels[]"].Concat(request.Query["labels"])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        return values.Count == 0 ? null : values;
    }
}
