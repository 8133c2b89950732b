using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>The server refused the access token (HTTP 401, at negotiate or on a REST call). Retrying with the same
/// token will not help.</summary>
public sealed class ChatHubUnauthorizedException(string message, Exception? innerException = null)
    : ChatHubException(ErrorCodes.Unauthorized, message, message, innerException);
