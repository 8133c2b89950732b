using System.Net;
using System.Net.Sockets;

namespace ChatHub.Server.Common;

/// <summary>The key under which a client's address is counted by per-address limits (contact creation, realtime
/// connections). An IPv4 address counts as itself; an IPv6 address by its /64, the smallest block a provider hands
/// one customer (a single host can use any of its 2^64 addresses, so counting each alone limits nothing); an
/// IPv4-mapped IPv6 address (::ffff:a.b.c.d, as a dual-stack socket reports an IPv4 client) as the IPv4 address.
/// The address is the one Kestrel reports after ProxyHeaders (X-Forwarded-For from a trusted proxy).</summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string KeyOf(IPAddress? address)
    {
        if (address is null) return Unknown;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8); // keep the network's 64 bits, drop the interface's
        return $"{new IPAddress(bytes)}/64";
    }

    public static string KeyOf(HttpContext context) => KeyOf(context.Connection.RemoteIpAddress);
}
