using System.ComponentModel.DataAnnotations;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>The "Accounts" configuration section: agents' passwords, console sessions, invitation and reset links,
/// sign-in throttling and avatars (docs/security.md, "Agents' accounts"). Checked when the server starts.</summary>
[SettingsSection("Accounts")]
public sealed class AccountOptions
{
    /// <summary>A console session ends after this long unused (each use moves its end on: a sliding expiry).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Accounts:{0} must be between 1 minute and 365 days")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromDays(14);
    /// <summary>Sessions an agent may hold at once (browsers, devices); a new one past it ends the least recently used.</summary>
    [Range(1, 1000, ErrorMessage = "Accounts:{0} must be between 1 and 1000")]
    public int MaxSessionsPerAgent { get; set; } = 20;
    /// <summary>Set the session cookie's Secure flag on every answer, not only on HTTPS requests (behind a proxy that
    /// ends TLS without forwarding the scheme).</summary>
    public bool AlwaysSecureCookie { get; set; }
    /// <summary>How long an invitation link may be used (once).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Accounts:{0} must be between 1 minute and 90 days")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How long a password reset link may be used (once).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Accounts:{0} must be between 1 minute and 30 days")]
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromDays(1);
    /// <summary>Failed sign-ins in a row for one email before it is locked out.</summary>
    [Range(1, 1000, ErrorMessage = "Accounts:{0} must be between 1 and 1000")]
    public int MaxFailedSignIns { get; set; } = 5;
    /// <summary>How long an email stays locked out after <see cref="MaxFailedSignIns"/> failures.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Accounts:{0} must be between 1 second and 1 day")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Sign-in attempts (and link redemptions) per minute from one client address.</summary>
    [Range(1, 100_000, ErrorMessage = "Accounts:{0} must be between 1 and 100000")]
    public int SignInsPerMinutePerAddress { get; set; } = 30;
    /// <summary>Sign-in attempts per minute for one email, whoever makes them.</summary>
    [Range(1, 100_000, ErrorMessage = "Accounts:{0} must be between 1 and 100000")]
    public int SignInsPerMinutePerEmail { get; set; } = 10;
    [Range(8, 128, ErrorMessage = "Accounts:{0} must be between 8 and 128")]
    public int MinPasswordLength { get; set; } = 8;
    /// <summary>An avatar image's largest size in bytes (PNG, JPEG, GIF or WebP); larger ones are refused.</summary>
    [Range(1024, 5 * 1024 * 1024, ErrorMessage = "Accounts:{0} must be between 1024 and 5242880")]
    public int MaxAvatarBytes { get; set; } = 256 * 1024;

    /// <summary>Passwords longer than this are refused (hashing cost grows with the input).</summary>
    public const int MaxPasswordLength = 256;

    public void Validate()
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), problems, validateAllProperties: true);
        if (problems.Count > 0) throw new InvalidSettingsException(string.Join("; ", problems.Select(p => p.ErrorMessage)));
    }
}
