namespace ChatHub.Client;

/// <summary>The call could not complete because the connection is not active or ended before the server
/// answered (<see cref="ChatHubException.Code"/> is <see cref="ChatHubException.ConnectionClosedCode"/>).
/// <see cref="Exception.InnerException"/> holds what the official client reported. A call that fails this way may
/// or may not have reached the server; <see cref="ReliableChatConnection"/> retries the calls that are safe to
/// repeat and throws this only once the connection is closed for good.</summary>
public sealed class ChatHubConnectionClosedException(string message, Exception? innerException = null)
    : ChatHubException(ConnectionClosedCode, message, message, innerException);
