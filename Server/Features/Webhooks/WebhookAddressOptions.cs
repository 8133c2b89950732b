using ChatHub.Server.Hosting;

namespace ChatHub.Server.Features.Webhooks;

/// <summary><c>Webhooks:AllowPrivateNetworks</c>: the one setting of the SSRF rule (<see cref="PrivateNetworks"/>),
/// read where a receiver's URL is accepted (<see cref="WebhookRules.RequireReachable"/>) and where each delivery
/// connects (the webhook channel's connector). False (the default) refuses receivers on loopback, private,
/// link-local, CGNAT, unique-local and metadata addresses, at creation and again at every connect.</summary>
[SettingsSection("Webhooks")]
public sealed class WebhookAddressOptions
{
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Whether a webhook may connect to <paramref name="address"/>.</summary>
    public bool MayReach(System.Net.IPAddress address) => AllowPrivateNetworks || !PrivateNetworks.Contains(address);
}
