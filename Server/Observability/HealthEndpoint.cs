using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatHub.Server.Observability;

/// <summary>/healthz: 200 while the node can serve, with <c>status</c> "healthy" or "degraded" (Redis away: this node
/// still serves REST and its own connections, so load balancers keep routing to it) and each check's own status; 503
/// with "unhealthy" when a check fails outright (the store does not answer, <see cref="StoreHealthCheck"/>: the node
/// can serve nothing). The checks: "store" always, "redis" behind a backplane (ScaleOut/).</summary>
public static class HealthEndpoint
{
    /// <summary>The health checks, the store's among them; AddScaleOut adds Redis's.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return services;
    }

    public static async Task<IResult> Answer(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var body = new HealthAnswer(Name(report.Status),
            report.Entries.ToDictionary(e => e.Key, e => new CheckAnswer(Name(e.Value.Status), e.Value.Description)));
        return report.Status == HealthStatus.Unhealthy ? Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable) : Results.Ok(body);
    }

    /// <summary>The answer: "healthy", "degraded" or "unhealthy", overall and per check (store, redis).</summary>
    public sealed record HealthAnswer(string Status, Dictionary<string, CheckAnswer> Checks);
    public sealed record CheckAnswer(string Status, string? Description);

    /// <summary>/healthz, with its answer described for the API reference.</summary>
    public static void MapHealth(this WebApplication app) => app.MapGet("/healthz", Answer)
        .Produces<HealthAnswer>(StatusCodes.Status200OK).Produces<HealthAnswer>(StatusCodes.Status503ServiceUnavailable);

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
