using System.Net;
using System.Net.Sockets;

namespace ChatHub.Server.Sinks.Webhooks;

/// <summary>Addresses a webhook must not reach unless <c>Webhooks:AllowPrivateNetworks</c> (SSRF): loopback,
/// private (RFC 1918), link-local (cloud metadata at 169.254.169.254), CGNAT (100.64/10, Alibaba's metadata),
/// unique-local IPv6 (AWS's fd00:ec2::254), unspecified, multicast, reserved, and IPv4 inside IPv6.</summary>
public static class PrivateNetworks
{
    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPrivateV4(address.GetAddressBytes());
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
            return true;
        var b = address.GetAddressBytes();
        // NAT64 (64:ff9b::/96) and IPv4-compatible (::/96) addresses carry an IPv4 address: judge that one.
        if ((b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].All(x => x == 0)) || b[..12].All(x => x == 0))
            return IsPrivateV4(b[12..]);
        return false;
    }

    private static bool IsPrivateV4(byte[] b) =>
        b[0] is 0 or 10 or 127 || b[0] >= 224               // this network, private, loopback, multicast and reserved
        || (b[0] == 100 && b[1] is >= 64 and <= 127)        // CGNAT
        || (b[0] == 169 && b[1] == 254)                     // link-local, cloud metadata
        || (b[0] == 172 && b[1] is >= 16 and <= 31)         // private
        || (b[0] == 192 && b[1] == 168)                     // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)          // IETF protocol assignments
        || (b[0] == 198 && b[1] is 18 or 19);               // benchmarking

    /// <summary>The host's addresses (an IP literal is its own); empty when it does not resolve.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        try { return await Dns.GetHostAddressesAsync(host, cancellationToken); }
        catch (SocketException) { return []; }
    }
}
