using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>The server refused the access token (HTTP 401, at negotiate, on a reconnect or on a REST call;
/// <see cref="ChatHubException.Code"/> is <c>unauthorized</c>). Retrying with the same token will not help.</summary>
public sealed class ChatHubUnauthorizedException(string message, Exception? innerException = null)
    : ChatHubException(ErrorCodes.Unauthorized, message, message, innerException);
