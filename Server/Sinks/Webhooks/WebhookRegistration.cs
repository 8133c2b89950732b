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
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
                return Handler(options, WebhookConnector.For(options));
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
