using System.Net.Sockets;
using ChatHub.Server.Application.Events;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Sinks.Webhooks;

public static class WebhookRegistration
{
    /// <summary>The outbox (deliveries written with each change), the sender and its HttpClient.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<WebhookOptions>(config.GetSection("Webhooks"));
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<IOutbox, WebhookOutbox>();
        services.AddHostedService<WebhookSender>();
        services.AddHttpClient(WebhookSender.HttpClientName, http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own (Webhooks:Timeout)
                http.DefaultRequestHeaders.UserAgent.ParseAdd("ChatHub-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => Handler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value))
            // The factory's own logs name each URL (a receiver's URL may hold its token); the sender logs what matters.
            .RemoveAllLoggers();
        return services;
    }

    private static SocketsHttpHandler Handler(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false, // a redirect could lead anywhere, private networks included
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = options.Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2), // DNS changes are seen, and checked again at connect
        ConnectCallback = async (context, cancellationToken) =>
        {
            // Checked at every connect, on the addresses actually dialled, so DNS rebinding after creation does not get through.
            var addresses = await PrivateNetworks.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
            if (!options.AllowPrivateNetworks) addresses = addresses.Where(a => !PrivateNetworks.Contains(a)).ToArray();
            if (addresses.Length == 0)
                throw new HttpRequestException($"{context.DnsEndPoint.Host} has no address a webhook may reach (private networks are refused; see Webhooks:AllowPrivateNetworks)");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
