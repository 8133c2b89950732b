using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>The server refused the access token when the connection started (HTTP 401 at negotiate or at the
/// WebSocket upgrade). Retrying with the same token will not help.</summary>
public sealed class ChatHubUnauthorizedException(string message, Exception? innerException = null)
    : ChatHubException(ErrorCodes.Unauthorized, message, message, innerException);
