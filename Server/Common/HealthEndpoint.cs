using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatHub.Server.Common;

/// <summary>/healthz: always 200 while the process serves requests, with <c>status</c> "healthy" or "degraded"
/// (e.g. Redis away: this node still serves its own connections, so load balancers keep routing to it) and each
/// check's own status. A failing check ("unhealthy") answers 503.</summary>
public static class HealthEndpoint
{
    public static async Task<IResult> Answer(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var body = new
        {
            status = Name(report.Status),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = Name(e.Value.Status), description = e.Value.Description }),
        };
        return report.Status == HealthStatus.Unhealthy ? Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable) : Results.Ok(body);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
