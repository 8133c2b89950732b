using System.Net;
using System.Net.Sockets;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>What every webhook use case checks: administrators only, a URL a webhook may have, known events.</summary>
public static class WebhookRules
{
    public const int MaxUrlLength = 2048;

    public static void RequireAdministrator(Caller caller)
    {
        if (!caller.IsAgent || !caller.IsAdministrator) throw ChatException.Forbidden("administrators only");
    }

    public static IRuleBuilderOptions<T, string?> WebhookUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxUrlLength).WellFormed()
            .Must(url => url is null || IsHttpUrl(url)).WithMessage("url must be an absolute http or https URL");

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> Subscriptions<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(s => s is null || s.Count > 0).WithMessage("subscriptions must name at least one event")
            .Must(s => s is null || s.Count <= 2 * WebhookEvents.All.Count).WithMessage("subscriptions has too many entries")
            .Must(s => s is null || s.All(e => e is not null && WebhookEvents.All.Contains(e)))
            .WithMessage($"subscriptions may hold only {string.Join(", ", WebhookEvents.All)}");

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
        && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>The SSRF rule at creation (the webhook channel checks again at every connect, on the addresses it dials): a
    /// URL whose host resolves to any address <see cref="PrivateNetworks"/> holds (this server's own included) is
    /// refused unless Webhooks:AllowPrivateNetworks. A host that does not resolve now is taken (it may later; the
    /// connect-time check still applies).</summary>
    public static void RequireReachable(string url, WebhookAddressOptions options)
    {
        if (options.AllowPrivateNetworks) return;
        var host = new Uri(url).IdnHost;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) addresses = [literal];
        else
        {
            try { addresses = Dns.GetHostAddresses(host); }
            catch (SocketException) { return; }
        }
        foreach (var address in addresses)
            if (PrivateNetworks.Refusal(address) is { } refusal)
                throw ChatException.Invalid("url", $"url points to a private network address ({address}: {refusal}); see Webhooks:AllowPrivateNetworks");
    }
}
