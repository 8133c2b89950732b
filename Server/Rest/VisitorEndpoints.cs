using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Visitors;
using ChatHub.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Rest;

/// <summary>Visitors on the site (issue 27): the widget's reports under the public inbox
/// (<c>/public/api/v1/inboxes/{inbox_identifier}/visitors/...</c>; the visitor's token travels in the body, never in a
/// URL that logs keep), and the agents' list and "start a chat" under <c>/api/v1</c>.</summary>
public static class VisitorEndpoints
{
    /// <summary>A page view (url, title, referrer) or a heartbeat (no page), with the widget's identity.</summary>
    public sealed record VisitorReportBody(string? VisitorToken, string? Url, string? Title, string? Referrer, string? SourceId,
        string? Identifier, string? IdentifierHash, int? Visits);

    public sealed record VisitorChatBody(string? Content);

    public static void MapVisitorReports(this RouteGroupBuilder inbox)
    {
        inbox.MapPost("/visitors/page_views", (string inbox_identifier, VisitorReportBody? body, HttpContext http, Dispatcher use) =>
            Report(inbox_identifier, body, new PageViewFields(body?.Url, body?.Title, body?.Referrer), http, use));
        inbox.MapPost("/visitors/heartbeat", (string inbox_identifier, VisitorReportBody? body, HttpContext http, Dispatcher use) =>
            Report(inbox_identifier, body, null, http, use));
    }

    private static Task<VisitResultDto> Report(string inbox, VisitorReportBody? body, PageViewFields? page, HttpContext http, Dispatcher use) =>
        use.AskAsync<TrackVisit, VisitResultDto>(Caller.Anonymous, new TrackVisit(inbox, body?.VisitorToken, page, body?.SourceId,
            body?.Identifier, body?.IdentifierHash, body?.Visits, http.Request.Headers.AcceptLanguage.ToString(), ClientAddress.KeyOf(http)));

    public static void MapVisitors(this RouteGroupBuilder api)
    {
        api.MapGet("/visitors", ([FromQuery(Name = "inbox_id")] long? inboxId, HttpContext http, Dispatcher use) =>
            use.AskAsync<ListVisitors, VisitorListDto>(http.Agent(), new ListVisitors(inboxId)));
        api.MapPost("/inboxes/{inbox_id:long}/visitors/{visitor_id}/conversations", (long inbox_id, string visitor_id, VisitorChatBody? body,
            HttpContext http, Dispatcher use) =>
            use.SendAsync<StartVisitorChat, ConversationDto>(http.Agent(), new StartVisitorChat(inbox_id, visitor_id, body?.Content)));
    }
}
