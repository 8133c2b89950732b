using System.Net;
using System.Security.Cryptography;
using System.Text;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Hosting;
using OpenTelemetry.Metrics;

namespace ChatHub.Server.Observability;

/// <summary>OpenTelemetry metrics on a Prometheus endpoint, <c>/metrics</c>: ChatHub's meter (<see cref="ChatMetrics"/>),
/// ASP.NET Core's (requests, Kestrel connections, SignalR/WebSocket connections) and the runtime's (GC, threads, CPU).
/// Who may scrape: with <c>Metrics:ScrapeToken</c> set, whoever sends <c>Authorization: Bearer &lt;token&gt;</c>; without
/// it, callers on the machine itself (loopback) only; with <c>Metrics:Port</c> set, only on that port (a listener
/// of <c>Urls</c>). The rule belongs to the endpoint, so every spelling routing maps to it (case, trailing slash, dot
/// segments) gets it. <c>Metrics:Enabled=false</c> serves nothing.</summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Diagnostics", "System.Runtime",
    ];

    public static IServiceCollection AddChatMetrics(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton<IEventSink, MetricsSink>(); // messages stored, counted from the events
        if (!Settings.Read<MetricsOptions>(config).Enabled) return services;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ChatMetrics.MeterName)
            .AddMeter(FrameworkMeters)
            .AddPrometheusExporter());
        return services;
    }

    public static void MapChatMetrics(this WebApplication app)
    {
        var settings = Settings.Read<MetricsOptions>(app.Configuration);
        if (!settings.Enabled) return;
        var token = settings.ScrapeToken;
        var port = settings.Port;
        if (port is < 1 or > 65535) throw new InvalidSettingsException($"Metrics:Port is {port}: it must be a port, 1 to 65535");
        // The gate wraps the endpoint itself, not a path: routing sends /metrics/, /METRICS and /metrics/. (Kestrel
        // removes dot segments) here as well, and a check on the path string let those through ungated.
        app.MapPrometheusScrapingEndpoint(Path).Add(endpoint =>
        {
            var scrape = endpoint.RequestDelegate ?? throw new InvalidOperationException("the Prometheus endpoint has no request delegate");
            endpoint.RequestDelegate = http =>
            {
                if (port is { } only && http.Connection.LocalPort != only) return Refuse(http, StatusCodes.Status404NotFound);
                if (!MayScrape(http, token))
                    return Refuse(http, string.IsNullOrEmpty(token) ? StatusCodes.Status404NotFound : StatusCodes.Status401Unauthorized);
                return scrape(http);
            };
        });
    }

    private static Task Refuse(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static bool MayScrape(HttpContext http, string? token)
    {
        if (string.IsNullOrEmpty(token)) return http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) &&
               CryptographicOperations.FixedTimeEquals(
                   SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
