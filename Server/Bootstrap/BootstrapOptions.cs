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
}
