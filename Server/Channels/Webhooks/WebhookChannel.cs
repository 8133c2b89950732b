using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Hosting;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>The webhook channel (docs/api.md, "Webhooks"): what the features' webhooks receive, delivered. Events become
/// delivery rows in the command's own transaction (<see cref="WebhookOutbox"/>, the channel's sink), which
/// <see cref="WebhookSender"/> POSTs, signed, with retries, through a connector that applies the SSRF rule
/// (<see cref="PrivateNetworks"/>) at every connect. The webhooks themselves (create, list, update, delete, their
/// deliveries) are use cases under Features/Webhooks; nothing there knows this channel.</summary>
public static class WebhookChannel
{
    /// <summary>The outbox (deliveries written with each change), the sender and its HttpClient.</summary>
    public static IServiceCollection AddWebhookChannel(this IServiceCollection services, IConfiguration config)
    {
        services.AddSettings<WebhookOptions>(config);
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<IOutbox, WebhookOutbox>();
        services.AddHostedService<WebhookSender>();
        services.AddHttpClient(WebhookSender.HttpClientName, http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own (Webhooks:Timeout)
                http.DefaultRequestHeaders.UserAgent.ParseAdd("ChatHub-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
                return Handler(options, WebhookConnector.For(sp.GetRequiredService<IOptions<WebhookAddressOptions>>().Value));
            })
            // The factory's own logs name each URL (a receiver's URL may hold its token); the sender logs what matters.
            .RemoveAllLoggers();
        return services;
    }

    private static SocketsHttpHandler Handler(WebhookOptions options, WebhookConnector connector) => new()
    {
        AllowAutoRedirect = false, // a redirect could lead anywhere, private networks included
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = options.Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2), // DNS changes are seen, and checked again at connect
        ConnectCallback = (context, cancellationToken) => connector.ConnectAsync(context.DnsEndPoint, cancellationToken),
    };
}
