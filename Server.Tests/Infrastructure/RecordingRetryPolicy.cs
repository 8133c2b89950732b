using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>Wraps a retry policy and records every question the connection asked it and the delay it answered,
/// so a test can check the backoff the connection actually used without timing anything.</summary>
public sealed class RecordingRetryPolicy(IRetryPolicy inner) : IRetryPolicy
{
    private readonly List<(long PreviousRetryCount, Exception? Reason, TimeSpan? Delay)> _calls = [];

    public IReadOnlyList<(long PreviousRetryCount, Exception? Reason, TimeSpan? Delay)> Calls { get { lock (_calls) return [.. _calls]; } }

    /// <summary>The delays answered, in order (the final null, if the policy gave up, left out).</summary>
    public IReadOnlyList<TimeSpan> Delays => Calls.Where(c => c.Delay is not null).Select(c => c.Delay!.Value).ToList();

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        var delay = inner.NextRetryDelay(retryContext);
        lock (_calls) _calls.Add((retryContext.PreviousRetryCount, retryContext.RetryReason, delay));
        return delay;
    }
}
