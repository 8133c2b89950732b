using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Identity;
using ChatHub.Server.Features.Inboxes;

namespace ChatHub.Server.Transports.Rest;

public static class InboxEndpoints
{
    public sealed record CreateInboxBody(
        string? Name, bool? HmacMandatory, string? GreetingMessage, List<WorkingHourDto>? WorkingHours, string? Timezone,
        bool? CsatSurveyEnabled = null, string? ReplyTime = null);
    public sealed record MembersBody(List<long>? AgentIds);

    public static void MapPublicInbox(this RouteGroupBuilder inbox) =>
        inbox.MapGet("", (string inbox_identifier, Dispatcher use) =>
            use.AskAsync<GetPublicInbox, InboxDto>(Caller.Anonymous, new GetPublicInbox(inbox_identifier)));

    public static void MapAdminInboxes(this RouteGroupBuilder api)
    {
        api.MapPost("/inboxes", (CreateInboxBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateInbox, InboxAdminDto>(http.Agent(),
                new CreateInbox(body?.Name, body?.HmacMandatory, body?.GreetingMessage, body?.WorkingHours, body?.Timezone,
                    body?.CsatSurveyEnabled, body?.ReplyTime)));
        api.MapPatch("/inboxes/{id:long}", (long id, CreateInboxBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<UpdateInbox, InboxAdminDto>(http.Agent(), new UpdateInbox(id, body?.Name, body?.HmacMandatory,
                body?.GreetingMessage, body?.WorkingHours, body?.Timezone, body?.CsatSurveyEnabled, body?.ReplyTime)));
        api.MapGet("/inboxes", (HttpContext http, Dispatcher use) =>
            use.AskAsync<ListInboxes, IReadOnlyList<InboxAdminDto>>(http.Agent(), new ListInboxes()));
        // Chatwoot's inbox_members shape: {payload: [agents]}.
        api.MapGet("/inboxes/{id:long}/members", async (long id, HttpContext http, Dispatcher use) =>
            new { payload = await use.AskAsync<ListMembers, IReadOnlyList<AgentDto>>(http.Agent(), new ListMembers(id)) });
        api.MapPost("/inboxes/{id:long}/members", async (long id, MembersBody? body, HttpContext http, Dispatcher use) =>
            new { agent_ids = await use.SendAsync<AddMembers, IReadOnlyList<long>>(http.Agent(), new AddMembers(id, body?.AgentIds)) });
    }
}
