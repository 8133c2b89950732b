using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Client;

/// <summary>When the official <see cref="HubConnection"/> retries after losing its connection (pass it to
/// <c>WithAutomaticReconnect</c>; <see cref="ChatHubConnectionBuilderExtensions.BuildReliable"/> uses
/// <see cref="Default"/> when none is given): exponential backoff with jitter, before every attempt (the first included, so a
/// server restart is not met by every client at once), retrying until the connection is stopped (the official
/// default gives up after four tries). Delay before attempt n = min(MaxDelay, InitialDelay * Multiplier^(n-1)),
/// then scaled by a random factor in [1 - JitterFraction, 1 + JitterFraction] and capped at MaxDelay again.
/// It gives up at once when the server refuses the token (HTTP 401): retrying with it cannot help.</summary>
public sealed record ReconnectPolicy : IRetryPolicy
{
    /// <summary>0.5 s, doubling, at most 30 s, +/- 50 % jitter, retrying until stopped.</summary>
    public static ReconnectPolicy Default { get; } = new();

    /// <summary>The delay before the first attempt (0.5 s).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>No delay is longer than this (30 s), jitter included.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each delay is this many times the one before (2), until <see cref="MaxDelay"/>.</summary>
    public double Multiplier { get; init; } = 2;

    /// <summary>0 (no jitter) to 1 (anywhere between no delay and twice the delay).</summary>
    public double JitterFraction { get; init; } = 0.5;

    /// <summary>Attempts before giving up (then the connection closes); null retries until stopped.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>A number in [0, 1) per attempt for the jitter; replace it for deterministic tests.</summary>
    public Func<double> NextRandom { get; init; } = Random.Shared.NextDouble;

    /// <summary>Called by the connection before each attempt; null stops reconnecting.</summary>
    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        var attempt = retryContext.PreviousRetryCount + 1;
        if (CallErrors.IsRefusedToken(retryContext.RetryReason) || attempt > MaxAttempts)
        {
            return null;
        }
        return DelayBefore((int)Math.Min(attempt, int.MaxValue), NextRandom());
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based) for a jitter draw
    /// <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan DelayBefore(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var maxMs = MaxDelay.TotalMilliseconds;
        // Math.Min before multiplying again keeps a long outage from overflowing to infinity.
        var baseMs = Math.Min(maxMs, InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, Math.Min(attempt - 1, 1000)));
        var factor = 1 + JitterFraction * (2 * Math.Clamp(random, 0, 1) - 1);
        return TimeSpan.FromMilliseconds(Math.Clamp(baseMs * factor, 0, maxMs));
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a policy that cannot work.</summary>
    public void Validate()
    {
        if (InitialDelay < TimeSpan.Zero || MaxDelay < InitialDelay)
        {
            throw new ArgumentException("ReconnectPolicy needs 0 <= InitialDelay <= MaxDelay.");
        }
        if (!(Multiplier >= 1) || !(JitterFraction is >= 0 and <= 1) || MaxAttempts is < 1)
        {
            throw new ArgumentException("ReconnectPolicy needs Multiplier >= 1, JitterFraction in [0, 1] and MaxAttempts >= 1 (or null).");
        }
        ArgumentNullException.ThrowIfNull(NextRandom);
    }
}
