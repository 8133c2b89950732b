using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Inboxes;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's inbox update (<c>PATCH /api/v1/accounts/{account_id}/inboxes/{id}</c>,
/// app/controllers/api/v1/accounts/inboxes_controller.rb): the inbox's own fields at the top level of the body (name,
/// greeting, working hours and their switch, timezone, out-of-office message, CSAT, reply time, enable_auto_assignment and auto_assignment_config), answered as the
/// <c>_inbox</c> partial. The same use case as ChatHub's own <c>PATCH /api/v1/inboxes/{id}</c>.</summary>
public static class ChatwootInboxEndpoints
{
    public sealed record ChatwootInboxBody(
        string? Name, bool? GreetingEnabled, string? GreetingMessage, bool? WorkingHoursEnabled, List<WorkingHourDto>? WorkingHours,
        string? Timezone, string? OutOfOfficeMessage, bool? CsatSurveyEnabled, string? ReplyTime, bool? EnableAutoAssignment,
        AutoAssignmentConfigDto? AutoAssignmentConfig, bool? SneakPeekEnabled = null, bool? PreChatFormEnabled = null, PreChatFormOptionsDto? PreChatFormOptions = null,
        ChatwootWidgetChannel? Channel = null);

    /// <summary>Chatwoot's dashboard sends a web widget's pre-chat settings under <c>channel</c>.</summary>
    public sealed record ChatwootWidgetChannel(bool? PreChatFormEnabled, PreChatFormOptionsDto? PreChatFormOptions);

    public static void MapChatwootInboxUpdate(this RouteGroupBuilder account) =>
        account.MapPatch("/inboxes/{id:long}", async (long id, ChatwootInboxBody? body, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Inbox(await use.SendAsync<UpdateInbox, InboxAdminDto>(http.Agent(), new UpdateInbox(id, body?.Name, null,
                // greeting_enabled false turns the greeting off (UpdateInbox: an empty message); true keeps the given message.
                body?.GreetingEnabled == false ? "" : body?.GreetingMessage,
                body?.WorkingHours, body?.Timezone, body?.CsatSurveyEnabled, body?.ReplyTime, body?.WorkingHoursEnabled, body?.OutOfOfficeMessage,
                body?.EnableAutoAssignment, body?.AutoAssignmentConfig, body?.SneakPeekEnabled,
                body?.PreChatFormEnabled ?? body?.Channel?.PreChatFormEnabled, body?.PreChatFormOptions ?? body?.Channel?.PreChatFormOptions))));
}
