using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Client;

/// <summary>Wraps the app's retry policy to remember why reconnecting gave up: the official client then closes
/// with "retries exhausted", while the app is better told the last attempt's error (a refused token, say).</summary>
internal sealed class GiveUpRecorder(IRetryPolicy policy) : IRetryPolicy
{
    private volatile Exception? _lastAttemptError;

    /// <summary>The error of the last attempt before the policy gave up; null while it has not.</summary>
    public Exception? LastAttemptError => _lastAttemptError;

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        var delay = policy.NextRetryDelay(retryContext);
        _lastAttemptError = delay is null ? retryContext.RetryReason : null;
        return delay;
    }
}
