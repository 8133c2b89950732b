using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>Addresses a webhook must not reach unless <c>Webhooks:AllowPrivateNetworks</c> (SSRF): this server's own
/// addresses (every interface's, read at each check: on a host with a public address, a receiver there would reach
/// every service listening on all interfaces), loopback, "this network" (0/8), private (RFC 1918), link-local (cloud
/// metadata at 169.254.169.254), CGNAT (100.64/10, Alibaba's metadata), unique-local IPv6 (AWS's fd00:ec2::254),
/// documentation (RFC 5737, RFC 3849), benchmarking, unspecified, multicast, reserved, and IPv4 inside IPv6.</summary>
public static class PrivateNetworks
{
    public const string OwnAddress = "this server's own address";

    public static bool Contains(IPAddress address) => Refusal(address) is not null;

    /// <summary>Why a webhook may not reach <paramref name="address"/> (a few words for an error message), or null
    /// when it may.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (IsOwnAddress(address)) return OwnAddress;
        if (address.AddressFamily == AddressFamily.InterNetwork) return RefusalV4(address.GetAddressBytes());
        if (address.Equals(IPAddress.IPv6Any)) return "unspecified";
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
        if (address.IsIPv6Multicast) return "multicast";
        if (address.IsIPv6UniqueLocal) return "unique-local (private)";
        var b = address.GetAddressBytes();
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return "documentation (2001:db8::/32)";
        // NAT64 (64:ff9b::/96) and IPv4-compatible (::/96) addresses carry an IPv4 address: judge that one.
        if ((b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].All(x => x == 0)) || b[..12].All(x => x == 0))
            return RefusalV4(b[12..]) ?? (IsOwnAddress(new IPAddress(b[12..])) ? OwnAddress : null);
        return null;
    }

    private static string? RefusalV4(byte[] b) => b switch
    {
        [0, ..] => "this network (0.0.0.0/8)",
        [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "private",
        [127, ..] => "loopback",
        [100, >= 64 and <= 127, ..] => "shared (CGNAT)",
        [169, 254, ..] => "link-local (cloud metadata)",
        [192, 0, 0, _] => "IETF protocol assignments",
        [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => "documentation (RFC 5737)",
        [198, 18 or 19, ..] => "benchmarking",
        [>= 224, ..] => "multicast or reserved",
        _ => null,
    };

    /// <summary>Whether an interface of this machine has <paramref name="address"/>: read each time, since addresses
    /// change (DHCP, an interface brought up). IPv6 scope ids are ignored, the bytes decide.</summary>
    private static bool IsOwnAddress(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            if (unicast.Address.GetAddressBytes().AsSpan().SequenceEqual(bytes)) return true;
        return false;
    }

    /// <summary>The host's addresses (an IP literal is its own); empty when it does not resolve.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        try { return await Dns.GetHostAddressesAsync(host, cancellationToken); }
        catch (SocketException) { return []; }
    }
}
