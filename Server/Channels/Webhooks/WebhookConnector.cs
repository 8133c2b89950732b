using System.Net;
using System.Net.Sockets;
using ChatHub.Server.Features.Webhooks;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>The webhook HttpClient's connect step (SocketsHttpHandler.ConnectCallback): resolves the receiver's name
/// itself, drops every address a webhook may not reach (<see cref="PrivateNetworks"/>, unless
/// <c>Webhooks:AllowPrivateNetworks</c>) and dials only what is left. Judged at every connect, on the addresses
/// actually dialled, so a name that resolved to a public address at creation and to an internal one later (DNS
/// rebinding), or to both at once, never gets a connection to the internal one.</summary>
/// <param name="mayReach">Whether an address may be dialled.</param>
/// <param name="resolve">Name to addresses (DNS; tests give a name several addresses, which no resolver here does).</param>
public sealed class WebhookConnector(Func<IPAddress, bool> mayReach, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    public static WebhookConnector For(WebhookAddressOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null) =>
        new(options.MayReach, resolve ?? PrivateNetworks.ResolveAsync);

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var resolved = await resolve(endpoint.Host, cancellationToken);
        var allowed = resolved.Where(mayReach).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException(resolved.Length == 0
                ? $"{endpoint.Host} does not resolve"
                : $"{endpoint.Host} has no address a webhook may reach ({Refusals(resolved)}); private networks are refused, see Webhooks:AllowPrivateNetworks");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Refusals(IEnumerable<IPAddress> addresses) =>
        string.Join(", ", addresses.Select(a => $"{a}: {PrivateNetworks.Refusal(a) ?? "refused"}"));
}
