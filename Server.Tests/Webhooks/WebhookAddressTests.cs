using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ChatHub.Server.Channels.Webhooks;
using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>Where a webhook may not go (SSRF), at creation and at the connect itself: the documentation and "this
/// network" ranges, this server's own interface addresses, and a name with several addresses dialled only on an
/// allowed one. Connects go to real listeners, so a refusal is the rule's doing, not an unreachable port.</summary>
public sealed class WebhookAddressTests
{
    private static readonly WebhookAddressOptions Strict = new() { AllowPrivateNetworks = false };
    private static readonly WebhookAddressOptions Permissive = new() { AllowPrivateNetworks = true };

    [Fact]
    public async Task Documentation_and_this_network_ranges_are_refused_and_their_neighbours_taken()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries(allowPrivateNetworks: false));
        using var admin = server.AdminHttp();
        foreach (var host in new[]
        {
            "0.1.2.3", "0.255.255.255",                                  // this network, 0.0.0.0/8
            "192.0.2.1", "192.0.2.255", "198.51.100.7", "203.0.113.200", // RFC 5737
            "[2001:db8::1]", "[2001:db8:ffff:ffff::1]",                  // RFC 3849
            "[::ffff:203.0.113.5]", "[64:ff9b::c000:20a]",              // the same, inside IPv6 (mapped, NAT64)
        })
        {
            var problem = await (await admin.PostJson($"{Account}/webhooks", new { url = $"http://{host}/hook" })).AssertValidation("url");
            Assert.Contains("Webhooks:AllowPrivateNetworks", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        }
        // Just outside each range: public addresses, taken (nothing is sent: no event happens).
        foreach (var host in new[] { "1.0.0.1", "192.0.3.1", "198.51.101.1", "203.0.112.255", "203.0.114.1", "[2001:db9::1]", "[2001:db7:ffff::1]" })
            await admin.CreateWebhookAsync($"http://{host}/hook", "message_created");
    }

    [FactWithInterfaceAddress]
    public async Task This_servers_own_interface_addresses_are_refused_at_creation_and_at_connect()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries(allowPrivateNetworks: false));
        using var admin = server.AdminHttp();
        using var listener = DualModeListener();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        foreach (var address in FactWithInterfaceAddressAttribute.OwnAddresses())
        {
            // The own-address rule itself, whatever range the address also falls in (here 192.0.2.2 is RFC 5737 too).
            Assert.Equal(PrivateNetworks.OwnAddress, PrivateNetworks.Refusal(address));
            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            var problem = await (await admin.PostJson($"{Account}/webhooks", new { url = $"http://{host}:{port}/hook" })).AssertValidation("url");
            Assert.Contains(PrivateNetworks.OwnAddress, problem.GetProperty("errors").GetProperty("url")[0].GetString());

            var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
                WebhookConnector.For(Strict).ConnectAsync(new DnsEndPoint(address.ToString(), port), CancellationToken.None).AsTask());
            Assert.Contains(PrivateNetworks.OwnAddress, refused.Message);
            // The case: a name that resolves to loopback and to the interface address; neither is dialled.
            var both = WebhookConnector.For(Strict, (_, _) => Task.FromResult(new[] { IPAddress.Loopback, address }));
            await Assert.ThrowsAsync<HttpRequestException>(() => both.ConnectAsync(new DnsEndPoint("hooks.example", port), CancellationToken.None).AsTask());
            // Refused before dialling: had anything been dialled, it would be waiting to be accepted by now.
            Assert.False(listener.Pending(), $"a connection reached {address}:{port}");

            // The listener is there: allowed, the same connect arrives (so the refusal above was the rule's).
            await using (await WebhookConnector.For(Permissive).ConnectAsync(new DnsEndPoint(address.ToString(), port), CancellationToken.None))
                (await listener.AcceptTcpClientAsync()).Dispose();
        }
    }

    [Fact]
    public async Task A_name_with_several_addresses_is_dialled_only_on_an_allowed_one()
    {
        // No resolver here gives one name several addresses, so the test's connector resolves "hooks.example" itself; both
        // addresses listen on the same port, the refused one first, so dialling in order would have reached it.
        using var v6 = new TcpListener(IPAddress.IPv6Loopback, 0);
        v6.Start();
        var port = ((IPEndPoint)v6.LocalEndpoint).Port;
        using var v4 = new TcpListener(IPAddress.Loopback, port);
        v4.Start();
        Func<string, CancellationToken, Task<IPAddress[]>> resolve = (_, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback });
        var onlyV4 = new WebhookConnector(address => !address.Equals(IPAddress.IPv6Loopback), resolve);

        await using (await onlyV4.ConnectAsync(new DnsEndPoint("hooks.example", port), CancellationToken.None))
        {
            (await v4.AcceptTcpClientAsync()).Dispose();
            // Dialling goes in order and the v6 address came first: a connection there would already be waiting.
            Assert.False(v6.Pending(), "the refused address was dialled");
        }

        // With the real rule neither is allowed: refused, nothing dialled, and the error names each address's reason.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            WebhookConnector.For(Strict, resolve).ConnectAsync(new DnsEndPoint("hooks.example", port), CancellationToken.None).AsTask());
        Assert.Contains("::1: loopback", refused.Message);
        Assert.Contains("127.0.0.1: loopback", refused.Message);
        // And a real name: localhost, resolved by the machine's resolver.
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            WebhookConnector.For(Strict).ConnectAsync(new DnsEndPoint("localhost", port), CancellationToken.None).AsTask());
        Assert.False(v4.Pending() || v6.Pending(), "a refused address was dialled");
    }

    /// <summary>One listener for IPv4 and IPv6 on every interface, on a free port.</summary>
    private static TcpListener DualModeListener()
    {
        var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        return listener;
    }
}

/// <summary>A test that needs this machine to have an address of its own besides loopback (and besides IPv6
/// link-local ones, which a URL cannot name without a zone): skipped, saying so, on a machine without one.</summary>
public sealed class FactWithInterfaceAddressAttribute : FactAttribute
{
    public FactWithInterfaceAddressAttribute()
    {
        if (OwnAddresses().Count == 0) Skip = "this machine has no non-loopback interface address";
    }

    public static IReadOnlyList<IPAddress> OwnAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .ToList();
}
