using ChatHub.Contracts;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Inboxes;

public static class InboxEndpoints
{
    public sealed record CreateInboxBody(
        string? Name, bool? HmacMandatory, string? GreetingMessage, List<WorkingHourDto>? WorkingHours, string? Timezone);
    public sealed record MembersBody(List<long>? AgentIds);

    public static void MapPublicInbox(this RouteGroupBuilder inbox) =>
        inbox.MapGet("", (string inbox_identifier, InboxService inboxes) => inboxes.GetPublic(inbox_identifier));

    public static void MapAdminInboxes(this RouteGroupBuilder api)
    {
        api.MapPost("/inboxes", (CreateInboxBody? body, HttpContext http, InboxService inboxes) =>
        {
            body ??= new(null, null, null, null, null);
            return inboxes.CreateAsync(http.Agent(),
                new CreateInboxCommand(body.Name, body.HmacMandatory, body.GreetingMessage, body.WorkingHours, body.Timezone));
        });
        api.MapGet("/inboxes", (HttpContext http, InboxService inboxes) => inboxes.List(http.Agent()));
        api.MapPost("/inboxes/{id:long}/members", async (long id, MembersBody? body, HttpContext http, InboxService inboxes) =>
            new { agent_ids = await inboxes.AddMembersAsync(http.Agent(), new AddMembersCommand(id, body?.AgentIds)) });
    }
}
