using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>The server answered HTTP 429 to a REST call (<see cref="ChatHubException.Code"/> is <c>rate_limited</c>):
/// too many requests, or, on <see cref="AgentSignIn.WithPasswordAsync"/>, too many sign-in attempts for the email or
/// from this address, or the email locked out after repeated wrong passwords (even the right password is refused until
/// the lock is over). <see cref="RetryAfter"/> says when trying again can succeed. A hub call refused for its rate is a
/// plain <see cref="ChatHubException"/> with the same code (the hub sends no Retry-After).</summary>
public sealed class ChatHubRateLimitedException(string message, TimeSpan? retryAfter, Exception? innerException = null)
    : ChatHubException(ErrorCodes.RateLimited, message, message, innerException)
{
    /// <summary>How long to wait before trying again (the answer's <c>Retry-After</c>); null when the answer named none.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
