using System.Text;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Reports;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Rest;

/// <summary>Reports (issue 25) under Chatwoot's <c>/api/v2/accounts/{account_id}/reports</c>, for administrators: Chatwoot's
/// summary and per-day timeseries (<c>type=account|inbox|agent&amp;id=</c>), ChatHub's whole report (the console's
/// view), and CSV downloads. since and until are Unix seconds; timezone an IANA id (UTC when none) that cuts the days.</summary>
public static class ReportEndpoints
{
    public static void MapReports(this RouteGroupBuilder v2)
    {
        var reports = v2.MapGroup("/accounts/{account_id:long}/reports").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.RouteValues["account_id"] is string id && id == ChatwootAccount.Id.ToString()
                ? await next(context)
                : throw ChatException.NotFound("account"));

        reports.MapGet("/overview", async (long? since, long? until, string? timezone, [FromQuery(Name = "inbox_id")] long? inboxId,
            [FromQuery(Name = "agent_id")] long? agentId, HttpContext http, Dispatcher use) =>
            ReportMapper.ToDto(await use.AskAsync<GetReport, Report>(http.Agent(), new GetReport(since, until, timezone, inboxId, agentId))));

        reports.MapGet("/summary", async (long? since, long? until, string? timezone, string? type, long? id, HttpContext http, Dispatcher use) =>
            ReportMapper.ToChatwootSummary(await use.AskAsync<GetReport, Report>(http.Agent(), OfType(since, until, timezone, type, id))));

        reports.MapGet("", async (string? metric, long? since, long? until, string? timezone, string? type, long? id, HttpContext http, Dispatcher use) =>
        {
            if (metric is null || !ReportMapper.Metrics.Contains(metric))
                throw ChatException.Invalid("metric", $"metric must be one of {string.Join(", ", ReportMapper.Metrics)}");
            return ReportMapper.ToChatwootTimeseries(await use.AskAsync<GetReport, Report>(http.Agent(), OfType(since, until, timezone, type, id)), metric);
        });

        reports.MapGet("/conversations.csv", async (long? since, long? until, string? timezone, [FromQuery(Name = "inbox_id")] long? inboxId,
            [FromQuery(Name = "agent_id")] long? agentId, HttpContext http, Dispatcher use) =>
            Csv(ReportCsv.Days(await use.AskAsync<GetReport, Report>(http.Agent(), new GetReport(since, until, timezone, inboxId, agentId))), "conversations.csv"))
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv");

        reports.MapGet("/csat.csv", async (long? since, long? until, string? timezone, [FromQuery(Name = "inbox_id")] long? inboxId,
            [FromQuery(Name = "agent_id")] long? agentId, HttpContext http, Dispatcher use) =>
            Csv(ReportCsv.CsatAnswers(await use.AskAsync<GetReport, Report>(http.Agent(), new GetReport(since, until, timezone, inboxId, agentId))), "csat.csv"))
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv");
    }

    /// <summary>Chatwoot's type and id: the account, one inbox or one agent.</summary>
    private static GetReport OfType(long? since, long? until, string? timezone, string? type, long? id) => (type ?? "account") switch
    {
        "account" => new GetReport(since, until, timezone),
        "inbox" => new GetReport(since, until, timezone, InboxId: id ?? throw ChatException.Invalid("id", "id is required for type inbox")),
        "agent" => new GetReport(since, until, timezone, AgentId: id ?? throw ChatException.Invalid("id", "id is required for type agent")),
        _ => throw ChatException.Invalid("type", "type must be account, inbox or agent"),
    };

    private static IResult Csv(string text, string fileName) =>
        Results.File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", fileName);
}
