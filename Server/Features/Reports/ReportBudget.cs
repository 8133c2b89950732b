using System.Threading.RateLimiting;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Reports;

/// <summary>Reports:PerAdministratorPerMinute, per administrator, in memory on each node (as <see cref="RateLimits"/>): a
/// report reads up to Reports:MaxConversations rows, so nobody may ask for them in a tight loop.</summary>
public sealed class ReportBudget : IDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter;
    private readonly int _perMinute;

    public ReportBudget(IOptions<ReportOptions> options)
    {
        _perMinute = options.Value.PerAdministratorPerMinute;
        _limiter = PartitionedRateLimiter.Create<long, long>(agentId => _perMinute == 0
            ? RateLimitPartition.GetNoLimiter(agentId)
            : RateLimitPartition.GetTokenBucketLimiter(agentId, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = _perMinute, TokensPerPeriod = 1, QueueLimit = 0,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / _perMinute,
            }));
    }

    /// <summary>Takes one of the administrator's reports, or throws rate_limited.</summary>
    public void Take(long agentId)
    {
        using var lease = _limiter.AttemptAcquire(agentId);
        if (lease.IsAcquired) return;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        throw new ChatException(ErrorCodes.RateLimited, $"too many reports; retry after {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))} s")
        { RetryAfter = retryAfter };
    }

    public void Dispose() => _limiter.Dispose();
}
