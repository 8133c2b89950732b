using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Reports;

/// <summary>What a report says, computed from the conversations the store found (<see cref="ReportFactRow"/>), each
/// event counted on the day it happened: a conversation opened on the day of its creation, its first response
/// (first agent reply - creation) on the day of that reply, its resolution time (latest resolution - creation) on
/// the day of that resolution, a CSAT answer on the day it came. Times in seconds.</summary>
public static class ReportFigures
{
    public sealed record Durations(int Count, double? Average, double? Median);

    public sealed record Figures(int ConversationsCount, int ResolutionsCount, Durations FirstResponse, Durations Resolution,
        int CsatResponsesCount, double? CsatAverage, IReadOnlyDictionary<int, int> CsatRatings, int CsatCommentsCount);

    public sealed record DayFigures(ReportDays.Day Day, Figures Figures);

    public static Figures Of(IReadOnlyList<ReportFactRow> facts, long from, long to)
    {
        static bool In(long? at, long from, long to) => at is { } t && t >= from && t < to;
        var firstResponses = facts.Where(f => In(f.FirstReplyAt, from, to)).Select(f => (f.FirstReplyAt!.Value - f.CreatedAt) / 1000.0).ToList();
        var resolutions = facts.Where(f => In(f.ResolvedAt, from, to)).Select(f => (f.ResolvedAt!.Value - f.CreatedAt) / 1000.0).ToList();
        var ratings = facts.Where(f => In(f.CsatAt, from, to) && f.CsatRating is >= 1 and <= 5).ToList();
        return new Figures(
            facts.Count(f => In(f.CreatedAt, from, to)),
            resolutions.Count,
            DurationsOf(firstResponses),
            DurationsOf(resolutions),
            ratings.Count,
            ratings.Count == 0 ? null : ratings.Average(f => f.CsatRating!.Value),
            Enumerable.Range(1, 5).ToDictionary(r => r, r => ratings.Count(f => f.CsatRating == r)),
            ratings.Count(f => f.CsatComment is not null));
    }

    /// <summary>Each day's figures: each conversation goes to the days its events fall on (a binary search each), so
    /// the work follows the conversations, not conversations times days.</summary>
    public static IReadOnlyList<DayFigures> PerDay(IReadOnlyList<ReportFactRow> facts, IReadOnlyList<ReportDays.Day> days)
    {
        var starts = days.Select(d => d.Start).ToArray();
        var ofDay = days.Select(_ => new List<ReportFactRow>()).ToArray();
        foreach (var fact in facts)
        {
            var added = -1;
            foreach (var at in new[] { fact.CreatedAt, fact.FirstReplyAt, fact.ResolvedAt, fact.CsatAt }.OfType<long>().Order())
            {
                var day = DayOf(at);
                if (day >= 0 && day != added) ofDay[added = day].Add(fact);
            }
        }
        return days.Select((d, i) => new DayFigures(d, Of(ofDay[i], d.Start, d.End))).ToList();

        int DayOf(long at)
        {
            if (starts.Length == 0 || at < starts[0] || at >= days[^1].End) return -1;
            var i = Array.BinarySearch(starts, at);
            return i >= 0 ? i : ~i - 1;
        }
    }

    private static Durations DurationsOf(List<double> seconds)
    {
        if (seconds.Count == 0) return new Durations(0, null, null);
        seconds.Sort();
        var middle = seconds.Count / 2;
        var median = seconds.Count % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
        return new Durations(seconds.Count, seconds.Average(), median);
    }
}
