using ChatHub.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatHub.Server.Observability;

/// <summary>/healthz's "store" check: one cheap read through the store contract (is there an inbox), as every request
/// would make it. Unhealthy, so /healthz answers 503, when it fails or takes longer than <see cref="Wait"/>: a node
/// whose store does not answer can serve nothing (every request reads it), so a load balancer should take it out.
/// The answer says only that the read failed; why (which may name hosts) goes to the log, never to the anonymous
/// caller of /healthz.</summary>
public sealed class StoreHealthCheck(IChatStore store) : IHealthCheck
{
    /// <summary>Longer than any read of a healthy store, well short of a load balancer's probe timeout.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ReadAsync(reader => reader.AnyInboxAsync(), cancellationToken).WaitAsync(Wait, cancellationToken);
            return HealthCheckResult.Healthy("answers: a read completed");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"unavailable: a read did not complete within {Wait.TotalSeconds:0} s");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The health check service logs the exception with the result.
            return HealthCheckResult.Unhealthy("unavailable: a read failed (see the server's log)", ex);
        }
    }
}
