using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatHub.Server.ScaleOut;

/// <summary>Degraded (not unhealthy) while this node cannot hear the other nodes through Redis: it still serves
/// REST and its open connections' calls (sends are stored and acknowledged), so a load balancer may keep it;
/// pushes wait for Redis, and new hub connections are refused with 503 until it is back.</summary>
public sealed class RedisHealthCheck(RedisBackplane backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backplane.IsHealthy
            ? HealthCheckResult.Healthy("connected: a probe made the round trip through Redis within the last seconds")
            : HealthCheckResult.Degraded("unreachable: new hub connections are refused (503) and pushes wait until Redis is back; sends are still stored and acknowledged"));
}
