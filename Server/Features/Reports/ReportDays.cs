namespace ChatHub.Server.Features.Reports;

/// <summary>A report's period cut into the days of its time zone: each day from local midnight to the next (23 or 25
/// hours across a daylight-saving change); the first starts at the period's start and the last ends at its end.</summary>
public static class ReportDays
{
    /// <summary>One day of a report: [Start, End) in Unix ms, and its local date.</summary>
    public sealed record Day(DateOnly Date, long Start, long End);

    public static IReadOnlyList<Day> Of(long since, long until, TimeZoneInfo zone)
    {
        var days = new List<Day>();
        for (var start = since; start < until;)
        {
            var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(start), zone).DateTime);
            var end = Math.Min(until, MidnightAfter(date, zone));
            days.Add(new Day(date, start, end));
            start = end;
        }
        return days;
    }

    /// <summary>The UTC instant of the local midnight that ends <paramref name="date"/> (a midnight that a clock change
    /// skips: the first local time after it).</summary>
    private static long MidnightAfter(DateOnly date, TimeZoneInfo zone)
    {
        var midnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(15);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(midnight, zone)).ToUnixTimeMilliseconds();
    }

    /// <summary>A time zone by its IANA (or Windows) id; null when there is none of that name.</summary>
    public static TimeZoneInfo? Zone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return null; }
    }
}
