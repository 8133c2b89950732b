using System.Threading.RateLimiting;
using ChatHub.Contracts;

namespace ChatHub.Server.Common;

/// <summary>A token bucket per key (an administrator, a contact) for what is rare by design, in memory on each node as
/// <see cref="RateLimits"/>' buckets are, but always on: the load tests' switch for <see cref="RateLimits"/> does not
/// turn it off. A burst of <c>count</c>, then one more every <c>period / count</c>; past it, rate_limited with when to
/// retry.</summary>
public sealed class KeyedBudget : IDisposable
{
    private readonly PartitionedRateLimiter<long>? _limiter; // none when the count is 0
    private readonly bool _unlimited;
    private readonly TimeSpan _period;
    private readonly string _what;

    /// <param name="what">What is counted, plural, for the error ("reports").</param>
    /// <param name="zeroRefusesAll">What a count of 0 means: true, nothing is allowed; false, there is no limit.</param>
    public KeyedBudget(int count, TimeSpan period, string what, bool zeroRefusesAll)
    {
        (_period, _what, _unlimited) = (period, what, count <= 0 && !zeroRefusesAll);
        if (count > 0)
            _limiter = PartitionedRateLimiter.Create<long, long>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
                new TokenBucketRateLimiterOptions { TokenLimit = count, TokensPerPeriod = 1, QueueLimit = 0, ReplenishmentPeriod = period / count }));
    }

    /// <summary>Takes one unit of <paramref name="key"/>'s budget, or throws rate_limited.</summary>
    public void Take(long key)
    {
        if (_unlimited) return;
        using var lease = _limiter?.AttemptAcquire(key);
        if (lease is { IsAcquired: true }) return;
        var retryAfter = lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _period;
        throw new ChatException(ErrorCodes.RateLimited, $"too many {_what}; retry after {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))} s")
        { RetryAfter = retryAfter };
    }

    public void Dispose() => _limiter?.Dispose();
}
