using System.ComponentModel.DataAnnotations;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Application.Presence;

/// <summary>The <c>Presence</c> section: how long an agent stays online after their last connection closed, and how
/// long a node's connections count after it stopped saying so (it died). Validated at start.</summary>
[SettingsSection("Presence")]
public sealed class PresenceOptions
{
    /// <summary>An agent whose last connection closed stays online this long (a page reload, a reconnect, a node restart
    /// for a deploy do not make the widget say "away"), as Chatwoot's 20 s presence.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Presence:{0} must be between 100 ms and 1 hour")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Behind Redis, each node renews its agents' presence every third of this; a node that stops (killed, cut
    /// off) has its agents' presence expire this long after its last renewal.</summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "00:10:00", ErrorMessage = "Presence:{0} must be between 300 ms and 10 minutes")]
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each node settles presence (expired grace periods and dead nodes become "offline" and are
    /// pushed) and, when due, renews its holds: a quarter of the grace or of the node timeout, whichever is shorter,
    /// between 100 ms and 1 s (so a hold is always renewed well before it expires).</summary>
    public TimeSpan SweepInterval() =>
        TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(Grace.TotalMilliseconds, NodeTimeout.TotalMilliseconds) / 4, 100, 1000));

    public void Validate()
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), problems, validateAllProperties: true);
        if (problems.Count > 0) throw new InvalidSettingsException(string.Join("; ", problems.Select(p => p.ErrorMessage)));
    }
}
