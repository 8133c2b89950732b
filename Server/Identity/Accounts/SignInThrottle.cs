using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>Guesses at passwords are slowed and then stopped: attempts per client address and per email per minute
/// (token buckets), and an email locked for <see cref="AccountOptions.LockoutDuration"/> after
/// <see cref="AccountOptions.MaxFailedSignIns"/> failures in a row. Keyed by the email as typed (folded to one case),
/// whether an agent has it or not, so a locked answer says nothing about which emails exist. In memory, per node (as
/// every rate limit): with N nodes a guesser gets at most N times the attempts. Entries go once their lock and window
/// are over; at most <see cref="MaxTrackedEmails"/> emails are tracked (past it, the oldest failures are forgotten).</summary>
public sealed class SignInThrottle : IDisposable
{
    public const int MaxTrackedEmails = 100_000;

    private readonly AccountOptions _options;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, Failures> _failures = new();
    private readonly TimeProvider _time;

    private sealed class Failures
    {
        public int Count;
        public long LastAt;
        public long LockedUntil;
    }

    public SignInThrottle(IOptions<AccountOptions> options, TimeProvider? time = null)
    {
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
        {
            var count = key.StartsWith("address:", StringComparison.Ordinal) ? _options.SignInsPerMinutePerAddress : _options.SignInsPerMinutePerEmail;
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = count, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1) / count, QueueLimit = 0,
            };
        }));
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public static string EmailKey(string email) => email.Trim().ToUpperInvariant();

    /// <summary>One attempt from <paramref name="address"/>; throws rate_limited past the address's budget.</summary>
    public void CheckAddress(string address) => Take("address:" + address, "attempts from this address");

    /// <summary>One attempt for <paramref name="email"/>: throws rate_limited while it is locked out or past its budget.</summary>
    public void CheckEmail(string email)
    {
        var key = EmailKey(email);
        if (_failures.TryGetValue(key, out var failures))
        {
            long lockedUntil;
            lock (failures) lockedUntil = failures.LockedUntil;
            if (lockedUntil > Now)
                throw new ChatException(ErrorCodes.RateLimited, "too many failed sign-ins for this email; try again later")
                {
                    RetryAfter = TimeSpan.FromMilliseconds(lockedUntil - Now),
                };
        }
        Take("email:" + key, "sign-in attempts for this email");
    }

    public void Failed(string email)
    {
        var now = Now;
        if (_failures.Count >= MaxTrackedEmails) Forget(now);
        var failures = _failures.GetOrAdd(EmailKey(email), _ => new Failures());
        lock (failures)
        {
            // A failure long after the last starts a new run.
            if (now - failures.LastAt > _options.LockoutDuration.TotalMilliseconds) failures.Count = 0;
            failures.LastAt = now;
            if (++failures.Count < _options.MaxFailedSignIns) return;
            failures.Count = 0;
            failures.LockedUntil = now + (long)_options.LockoutDuration.TotalMilliseconds;
        }
    }

    public void Succeeded(string email) => _failures.TryRemove(EmailKey(email), out _);

    private void Take(string key, string what)
    {
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        throw new ChatException(ErrorCodes.RateLimited, $"too many {what}; retry after {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))} s")
        {
            RetryAfter = retryAfter,
        };
    }

    /// <summary>Drops what no longer counts (lock over, run too old), then, if still full, the oldest half.</summary>
    private void Forget(long now)
    {
        var window = (long)_options.LockoutDuration.TotalMilliseconds;
        foreach (var (key, f) in _failures)
            if (f.LockedUntil <= now && now - f.LastAt > window) _failures.TryRemove(key, out _);
        if (_failures.Count < MaxTrackedEmails) return;
        foreach (var (key, _) in _failures.OrderBy(e => e.Value.LastAt).Take(_failures.Count / 2).ToList()) _failures.TryRemove(key, out _);
    }

    public void Dispose() => _limiter.Dispose();
}
