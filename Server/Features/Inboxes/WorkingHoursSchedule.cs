using ChatHub.Contracts;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>Whether an inbox is within its working hours at a given time, as Chatwoot's widget decides it
/// (<c>working_hours</c> in the inbox's <c>timezone</c>; day_of_week 0 is Sunday): off means always open; a day without an
/// entry, or closed_all_day, is closed; open_all_day is open; otherwise open from open_hour:open_minutes up to (not
/// including) close_hour:close_minutes. The server decides it so that every widget agrees, whatever its clock.</summary>
public static class WorkingHoursSchedule
{
    public static bool IsOpen(InboxRow inbox, DateTimeOffset now)
    {
        if (!inbox.WorkingHoursEnabled) return true;
        var local = TimeZoneInfo.ConvertTime(now, ZoneOf(inbox.Timezone));
        var day = InboxMapper.WorkingHours(inbox).FirstOrDefault(d => d.DayOfWeek == (int)local.DayOfWeek);
        return day is not null && IsOpenOn(day, local.Hour * 60 + local.Minute);
    }

    private static bool IsOpenOn(WorkingHourDto day, int minuteOfDay)
    {
        if (day.ClosedAllDay) return false;
        if (day.OpenAllDay) return true;
        var opens = (day.OpenHour ?? 0) * 60 + (day.OpenMinutes ?? 0);
        var closes = (day.CloseHour ?? 0) * 60 + (day.CloseMinutes ?? 0);
        return minuteOfDay >= opens && minuteOfDay < closes;
    }

    /// <summary>The inbox's zone (IANA or Windows id); UTC for one this machine does not know (validation refuses new
    /// ones, but a stored one may come from before).</summary>
    public static TimeZoneInfo ZoneOf(string? id) =>
        !string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>A timezone this machine knows (e.g. Europe/Berlin, UTC).</summary>
    public static IRuleBuilderOptions<T, string?> KnownTimezone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(id => id is null || TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)).WithMessage("timezone is not a known time zone (e.g. Europe/Berlin)");
}
