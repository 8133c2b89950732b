using System.ComponentModel.DataAnnotations;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Features.Visitors;

/// <summary>The <c>Visitors</c> section: how the widget reports a visitor on the site, how long a visitor counts as
/// "on the site now", and the bounds of what is kept (in memory, or in Redis behind a backplane; never in the store).
/// Validated at start.</summary>
[SettingsSection("Visitors")]
public sealed class VisitorOptions
{
    /// <summary>The widget sends a heartbeat this often while its page is open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Visitors:{0} must be between 1 second and 10 minutes")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A visitor not heard from for this long has left the site (it must be longer than the heartbeat).</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00", ErrorMessage = "Visitors:{0} must be between 2 seconds and 1 hour")]
    public TimeSpan PresenceWindow { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>A visitor's record (this visit's pages) is kept this long after it was last heard from; a visitor who
    /// comes back later starts a new visit.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "1.00:00:00", ErrorMessage = "Visitors:{0} must be between 2 seconds and 1 day")]
    public TimeSpan VisitGap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The newest pages kept per visitor.</summary>
    [Range(1, 200, ErrorMessage = "Visitors:{0} must be between 1 and 200")]
    public int MaxPagesKept { get; set; } = 20;

    /// <summary>Visitors one node keeps in memory at most (single node; behind Redis they expire there); past it a new
    /// visitor is not tracked until older ones expire.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Visitors:{0} must be between 1 and 10000000")]
    public int MaxTracked { get; set; } = 100_000;

    /// <summary>Visitors one list shows at most (the most recently seen).</summary>
    [Range(1, 10_000, ErrorMessage = "Visitors:{0} must be between 1 and 10000")]
    public int MaxListed { get; set; } = 500;

    /// <summary>Longest page URL and referrer accepted (characters); a longer one is refused (400).</summary>
    [Range(16, 65_536, ErrorMessage = "Visitors:{0} must be between 16 and 65536")]
    public int MaxUrlLength { get; set; } = 2048;

    /// <summary>Longest page title accepted (characters); a longer one is refused (400).</summary>
    [Range(1, 10_000, ErrorMessage = "Visitors:{0} must be between 1 and 10000")]
    public int MaxTitleLength { get; set; } = 300;

    public void Validate()
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), problems, validateAllProperties: true);
        var messages = problems.Select(p => p.ErrorMessage!).ToList();
        if (PresenceWindow <= HeartbeatInterval) messages.Add("Visitors:PresenceWindow must be longer than Visitors:HeartbeatInterval");
        if (VisitGap < PresenceWindow) messages.Add("Visitors:VisitGap must not be shorter than Visitors:PresenceWindow");
        if (messages.Count > 0) throw new InvalidSettingsException(string.Join("; ", messages));
    }
}
