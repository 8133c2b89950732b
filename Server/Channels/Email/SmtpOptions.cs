using System.ComponentModel.DataAnnotations;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Channels.Email;

/// <summary><c>Email:Smtp:*</c>: the SMTP server ChatHub sends through. Unset <see cref="Host"/>: no mail at all (reply
/// emails are not recorded, a transcript request answers 503). The password is never logged.</summary>
[SettingsSection("Email:Smtp")]
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    [Range(1, 65535, ErrorMessage = "Email:Smtp:{0} must be between 1 and 65535")]
    public int Port { get; set; } = 587;
    /// <summary>Empty: no authentication.</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender, as an address or <c>Name &lt;address&gt;</c>; required when Host is set.</summary>
    public string? From { get; set; }
    /// <summary><c>auto</c> (TLS on port 465, STARTTLS when the server offers it), <c>starttls</c> (required),
    /// <c>tls</c> (TLS from the first byte) or <c>none</c> (plain text: a local relay or tests only).</summary>
    public string Security { get; set; } = "auto";
    /// <summary>One send: connect, authenticate, deliver.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public static readonly string[] SecurityModes = ["auto", "starttls", "tls", "none"];
}
