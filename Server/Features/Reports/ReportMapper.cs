using System.Globalization;

namespace ChatHub.Server.Features.Reports;

/// <summary>A report as ChatHub's own API answers it (the console's Reports view reads it): times in seconds, null where
/// nothing was measured.</summary>
public sealed record ReportDto(long Since, long Until, string Timezone, long? InboxId, long? AgentId, ReportSummaryDto Summary,
    IReadOnlyList<ReportDayDto> Days, IReadOnlyList<CsatAnswerDto> CsatComments);

public sealed record ReportSummaryDto(int ConversationsCount, int ResolutionsCount, int FirstResponsesCount, double? AvgFirstResponseTime,
    double? MedianFirstResponseTime, double? AvgResolutionTime, double? MedianResolutionTime, ReportCsatDto Csat);

/// <summary>CSAT of a period: ratings_count holds every rating 1 to 5 (0 where none).</summary>
public sealed record ReportCsatDto(int ResponsesCount, double? Average, IReadOnlyDictionary<int, int> RatingsCount, int CommentsCount);

/// <summary>One local day: its date, its start (Unix seconds), and its figures.</summary>
public sealed record ReportDayDto(string Date, long Timestamp, int ConversationsCount, int ResolutionsCount, int FirstResponsesCount,
    double? AvgFirstResponseTime, double? MedianFirstResponseTime, double? AvgResolutionTime, double? MedianResolutionTime,
    int CsatResponsesCount, double? CsatAverage);

public sealed record CsatAnswerDto(long ConversationId, long InboxId, string? InboxName, long? AgentId, string? AgentName, int Rating,
    string? Comment, long CreatedAt);

/// <summary>Chatwoot's v2 report shapes (<c>V2::Reports::Conversations::MetricBuilder</c>): a summary, and a metric's
/// timeseries as [{value, timestamp}], one point per day.</summary>
public sealed record ChatwootReportSummaryDto(int ConversationsCount, double? AvgFirstResponseTime, double? AvgResolutionTime, int ResolutionsCount);

public sealed record ChatwootReportPointDto(double Value, long Timestamp);

public static class ReportMapper
{
    /// <summary>The CSAT answers with a comment a JSON report lists, the latest first (the CSV lists every answer).</summary>
    public const int MaxCommentsShown = 100;

    /// <summary>The metrics a Chatwoot timeseries may ask for (<c>metric=</c>).</summary>
    public static readonly string[] Metrics = ["conversations_count", "resolutions_count", "avg_first_response_time", "avg_resolution_time"];

    public static ReportDto ToDto(Report r) => new(r.Query.Since!.Value, r.Query.Until!.Value, r.TimeZone, r.Query.InboxId, r.Query.AgentId,
        ToSummary(r.Summary),
        r.Days.Select(d => new ReportDayDto(d.Day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Day.Start / 1000,
            d.Figures.ConversationsCount, d.Figures.ResolutionsCount, d.Figures.FirstResponse.Count, Round(d.Figures.FirstResponse.Average),
            Round(d.Figures.FirstResponse.Median), Round(d.Figures.Resolution.Average), Round(d.Figures.Resolution.Median),
            d.Figures.CsatResponsesCount, Round(d.Figures.CsatAverage))).ToList(),
        r.CsatAnswers.Where(a => a.Comment is not null).Take(MaxCommentsShown).Select(ToDto).ToList());

    public static CsatAnswerDto ToDto(CsatAnswer a) =>
        new(a.ConversationId, a.InboxId, a.InboxName, a.AgentId, a.AgentName, a.Rating, a.Comment, a.At / 1000);

    public static ChatwootReportSummaryDto ToChatwootSummary(Report r) =>
        new(r.Summary.ConversationsCount, Round(r.Summary.FirstResponse.Average), Round(r.Summary.Resolution.Average), r.Summary.ResolutionsCount);

    /// <summary>A metric per day (Chatwoot answers 0 for a day without any).</summary>
    public static IReadOnlyList<ChatwootReportPointDto> ToChatwootTimeseries(Report r, string metric) => r.Days.Select(d =>
        new ChatwootReportPointDto(metric switch
        {
            "conversations_count" => d.Figures.ConversationsCount,
            "resolutions_count" => d.Figures.ResolutionsCount,
            "avg_first_response_time" => Round(d.Figures.FirstResponse.Average) ?? 0,
            _ => Round(d.Figures.Resolution.Average) ?? 0,
        }, d.Day.Start / 1000)).ToList();

    private static ReportSummaryDto ToSummary(ReportFigures.Figures f) => new(f.ConversationsCount, f.ResolutionsCount, f.FirstResponse.Count,
        Round(f.FirstResponse.Average), Round(f.FirstResponse.Median), Round(f.Resolution.Average), Round(f.Resolution.Median),
        new ReportCsatDto(f.CsatResponsesCount, Round(f.CsatAverage), f.CsatRatings, f.CsatCommentsCount));

    /// <summary>Three decimals: milliseconds for a time, enough for an average rating.</summary>
    public static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
}
