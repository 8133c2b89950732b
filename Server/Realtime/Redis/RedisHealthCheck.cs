using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>Degraded (not unhealthy) while Redis is away: the node still serves its own connections, so a load
/// balancer should keep sending it traffic; only pushes to and from other nodes wait for Redis.</summary>
public sealed class RedisHealthCheck(RedisConnection redis, RedisOutbox outbox) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsHealthy
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Degraded(
                $"unreachable: serving this node's connections only; {outbox.Dropped} pushes for other nodes dropped so far (their clients catch up by seq)"));
}
