namespace ChatHub.Server.Storage.Sql;

/// <summary>Reports over SQL (issue 25): the conversations of a period, found by an OR of four indexed ranges (SQLite's
/// multi-index OR, PostgreSQL's bitmap OR), narrow rows only.</summary>
internal sealed partial class SqlSession
{
    private static readonly SqlTable<ReportFactRow> ReportFacts = new("conversations");

    private static string ReportFactsOf(ReportQuery q) =>
        $"{ReportFacts.Select} WHERE ("
        + string.Join(" OR ", new[] { "created_at", "first_reply_at", "resolved_at", "csat_at" }.Select(c => $"({c} >= @from AND {c} < @to)"))
        + ")"
        + (q.InboxId is null ? "" : " AND inbox_id = @inboxId")
        + (q.AssigneeId is null ? "" : " AND assignee_id = @assigneeId")
        + " LIMIT @limit";

    public async ValueTask<IReadOnlyList<ReportFactRow>> ListReportFactsAsync(ReportQuery q)
    {
        var args = new List<(string, object?)> { ("@from", q.From), ("@to", q.To), ("@limit", q.Limit) };
        if (q.InboxId is { } inboxId) args.Add(("@inboxId", inboxId));
        if (q.AssigneeId is { } assigneeId) args.Add(("@assigneeId", assigneeId));
        return await Many(ReportFactsOf(q), ReportFacts.Read, args.ToArray());
    }
}
