using System.ComponentModel.DataAnnotations;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Features.Reports;

/// <summary><c>Reports:*</c> (issue 25): how much one report may read, and how often an administrator may ask. A report
/// reads one row per conversation with activity in its period (never a message), so these bound its memory and time.</summary>
[SettingsSection("Reports")]
public sealed class ReportOptions
{
    /// <summary>The longest period a report covers; a longer one is refused (400).</summary>
    [Range(1, 3660, ErrorMessage = "Reports:{0} must be between 1 and 3660")]
    public int MaxDays { get; set; } = 366;
    /// <summary>The most conversations one report reads; a period with more is refused (400: ask for a shorter one).</summary>
    [Range(1, 10_000_000, ErrorMessage = "Reports:{0} must be between 1 and 10000000")]
    public int MaxConversations { get; set; } = 200_000;
    /// <summary>Reports (JSON or CSV) one administrator may ask for per minute, per node; past it, 429. 0 turns it off.</summary>
    [Range(0, 10_000, ErrorMessage = "Reports:{0} must be between 0 and 10000")]
    public int PerAdministratorPerMinute { get; set; } = 30;
}
