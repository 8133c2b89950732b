using System.Threading.RateLimiting;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Email;

/// <summary>Email:TranscriptsPerContactPerHour, per contact, in memory on each node (as <see cref="RateLimits"/>): a
/// transcript sends an email to an address the customer typed, so it is kept rare. 0 refuses every transcript.</summary>
public sealed class TranscriptBudget : IDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter;
    private readonly int _perHour;

    public TranscriptBudget(IOptions<EmailOptions> options)
    {
        _perHour = options.Value.TranscriptsPerContactPerHour;
        _limiter = PartitionedRateLimiter.Create<long, long>(contactId => RateLimitPartition.GetTokenBucketLimiter(contactId, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, _perHour), TokensPerPeriod = 1, QueueLimit = 0,
                ReplenishmentPeriod = TimeSpan.FromHours(1) / Math.Max(1, _perHour),
            }));
    }

    /// <summary>Takes one of the contact's transcripts, or throws rate_limited.</summary>
    public void Take(long contactId)
    {
        using var lease = _perHour > 0 ? _limiter.AttemptAcquire(contactId) : null;
        if (lease is { IsAcquired: true }) return;
        var retryAfter = lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromHours(1);
        throw new ChatException(ErrorCodes.RateLimited, $"too many transcripts; retry after {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))} s")
        { RetryAfter = retryAfter };
    }

    public void Dispose() => _limiter.Dispose();
}
