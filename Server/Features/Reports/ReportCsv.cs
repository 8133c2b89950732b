using System.Globalization;
using System.Text;

namespace ChatHub.Server.Features.Reports;

/// <summary>A report as CSV downloads (RFC 4180, a header row first): one row per day (and a total), or one row per
/// CSAT answer. Safe to open in a spreadsheet: a text cell that begins with = + - @ (or a tab or carriage return) is
/// prefixed with ' so that it is never run as a formula (OWASP's CSV injection).</summary>
public static class ReportCsv
{
    public static string Days(Report report)
    {
        var csv = new StringBuilder();
        Row(csv, "date", "conversations_opened", "conversations_resolved", "first_responses", "avg_first_response_seconds",
            "median_first_response_seconds", "avg_resolution_seconds", "median_resolution_seconds", "csat_responses", "csat_average");
        foreach (var day in report.Days) Figures(csv, day.Day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.Figures);
        Figures(csv, "total", report.Summary);
        return csv.ToString();
    }

    public static string CsatAnswers(Report report)
    {
        var csv = new StringBuilder();
        Row(csv, "conversation_id", "inbox", "agent", "rating", "comment", "rated_at");
        foreach (var a in report.CsatAnswers)
            Row(csv, Number(a.ConversationId), a.InboxName ?? "", a.AgentName ?? "", Number(a.Rating), a.Comment ?? "",
                DateTimeOffset.FromUnixTimeMilliseconds(a.At).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        return csv.ToString();
    }

    /// <summary>A cell as written: a formula-looking text defused, then quoted when it holds a comma, quote or line break.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static void Figures(StringBuilder csv, string date, ReportFigures.Figures f) =>
        Row(csv, date, Number(f.ConversationsCount), Number(f.ResolutionsCount), Number(f.FirstResponse.Count), Number(f.FirstResponse.Average),
            Number(f.FirstResponse.Median), Number(f.Resolution.Average), Number(f.Resolution.Median), Number(f.CsatResponsesCount), Number(f.CsatAverage));

    private static string Number(double? value) => ReportMapper.Round(value) is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";

    private static void Row(StringBuilder csv, params string[] cells) => csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
}
