namespace ChatHub.Client;

/// <summary>The server answered the start of a connection with something other than success: a failed or
/// unusable negotiate response, a refused WebSocket upgrade, or a handshake error.</summary>
public sealed class ChatHubConnectException(string message, Exception? innerException = null)
    : Exception(message, innerException);
