using ChatHub.Server.Hosting;

namespace ChatHub.Server.Bootstrap;

/// <summary>The "Bootstrap" configuration section: what a first start on an empty store creates.</summary>
[SettingsSection("Bootstrap")]
public sealed class BootstrapOptions
{
    public string InboxName { get; set; } = "Website";
    public string? InboxIdentifier { get; set; }
    public string? HmacToken { get; set; }
    public bool HmacMandatory { get; set; }
    public string AgentName { get; set; } = "Admin";
    public string AgentEmail { get; set; } = "admin@example.com";
    public string? AgentAccessToken { get; set; }
    /// <summary>The administrator's first password (hashed when stored; never logged). When not set, the first start
    /// logs a one-time invitation link with which the administrator sets one in the console.</summary>
    public string? AgentPassword { get; set; }
}
