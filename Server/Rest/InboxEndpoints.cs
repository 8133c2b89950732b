using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Rest;

public static class InboxEndpoints
{
    public sealed record CreateInboxBody(
        string? Name, bool? HmacMandatory, string? GreetingMessage, List<WorkingHourDto>? WorkingHours, string? Timezone,
        bool? CsatSurveyEnabled = null, string? ReplyTime = null, bool? WorkingHoursEnabled = null, string? OutOfOfficeMessage = null,
        bool? EnableAutoAssignment = null, AutoAssignmentConfigDto? AutoAssignmentConfig = null, bool? SneakPeekEnabled = null,
        bool? PreChatFormEnabled = null, PreChatFormOptionsDto? PreChatFormOptions = null);
    public sealed record MembersBody(List<long>? AgentIds);

    public static void MapPublicInbox(this RouteGroupBuilder inbox) =>
        inbox.MapGet("", (string inbox_identifier, Dispatcher use) =>
            use.AskAsync<GetPublicInbox, InboxDto>(Caller.Anonymous, new GetPublicInbox(inbox_identifier)));

    public static void MapAdminInboxes(this RouteGroupBuilder api)
    {
        api.MapPost("/inboxes", (CreateInboxBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateInbox, InboxAdminDto>(http.Agent(),
                new CreateInbox(body?.Name, body?.HmacMandatory, body?.GreetingMessage, body?.WorkingHours, body?.Timezone,
                    body?.CsatSurveyEnabled, body?.ReplyTime, body?.OutOfOfficeMessage, body?.SneakPeekEnabled)));
        api.MapPatch("/inboxes/{id:long}", (long id, CreateInboxBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<UpdateInbox, InboxAdminDto>(http.Agent(), new UpdateInbox(id, body?.Name, body?.HmacMandatory,
                body?.GreetingMessage, body?.WorkingHours, body?.Timezone, body?.CsatSurveyEnabled, body?.ReplyTime, body?.WorkingHoursEnabled,
                body?.OutOfOfficeMessage, body?.EnableAutoAssignment, body?.AutoAssignmentConfig, body?.SneakPeekEnabled,
                body?.PreChatFormEnabled, body?.PreChatFormOptions)));
        api.MapGet("/inboxes", (HttpContext http, Dispatcher use) =>
            use.AskAsync<ListInboxes, IReadOnlyList<InboxAdminDto>>(http.Agent(), new ListInboxes()));
        // Chatwoot's inbox_members shape: {payload: [agents]}.
        api.MapGet("/inboxes/{id:long}/members", (long id, HttpContext http, Dispatcher use) => MembersAsync(id, http, use));
        api.MapPost("/inboxes/{id:long}/members", async (long id, MembersBody? body, HttpContext http, Dispatcher use) =>
            new { agent_ids = await use.SendAsync<AddMembers, IReadOnlyList<long>>(http.Agent(), new AddMembers(id, body?.AgentIds)) });
        api.MapDelete("/inboxes/{id:long}/members/{agent_id:long}", async (long id, long agent_id, HttpContext http, Dispatcher use) =>
            new { agent_ids = await use.SendAsync<RemoveMembers, IReadOnlyList<long>>(http.Agent(), new RemoveMembers(id, [agent_id])) });
    }

    public sealed record InboxMembersBody(long? InboxId, List<long>? UserIds);

    /// <summary>Chatwoot's <c>inbox_members</c> (<c>app/controllers/api/v1/accounts/inbox_members_controller.rb</c>): add
    /// (POST), make exactly (PATCH) or remove (DELETE) the agents <c>user_ids</c> of <c>inbox_id</c>; POST and PATCH answer
    /// the members as <c>{payload: [agents]}</c>, as the GET does, each the <c>_agent</c> partial
    /// (<c>inbox_members/show.json.jbuilder</c>).</summary>
    public static void MapInboxMembers(this RouteGroupBuilder account)
    {
        account.MapGet("/inbox_members/{inbox_id:long}", (long inbox_id, HttpContext http, Dispatcher use) => ChatwootMembersAsync(inbox_id, http, use));
        account.MapPost("/inbox_members", async (InboxMembersBody? body, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<AddMembers, IReadOnlyList<long>>(http.Agent(), new AddMembers(body?.InboxId ?? 0, body?.UserIds));
            return await ChatwootMembersAsync(body!.InboxId!.Value, http, use);
        });
        account.MapPatch("/inbox_members", async (InboxMembersBody? body, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<SetMembers, IReadOnlyList<long>>(http.Agent(), new SetMembers(body?.InboxId ?? 0, body?.UserIds));
            return await ChatwootMembersAsync(body!.InboxId!.Value, http, use);
        });
        account.MapDelete("/inbox_members", async ([FromBody] InboxMembersBody? body, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<RemoveMembers, IReadOnlyList<long>>(http.Agent(), new RemoveMembers(body?.InboxId ?? 0, body?.UserIds));
            return Results.Ok();
        });
    }

    private static async Task<object> MembersAsync(long inboxId, HttpContext http, Dispatcher use) =>
        new { payload = await use.AskAsync<ListMembers, IReadOnlyList<AgentDto>>(http.Agent(), new ListMembers(inboxId)) };

    private static async Task<ChatwootDirectory.AgentList> ChatwootMembersAsync(long inboxId, HttpContext http, Dispatcher use) =>
        ChatwootDirectory.Members(await use.AskAsync<ListMembers, IReadOnlyList<AgentDto>>(http.Agent(), new ListMembers(inboxId)));
}
