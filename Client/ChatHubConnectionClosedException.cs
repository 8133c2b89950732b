namespace ChatHub.Client;

/// <summary>The call could not complete because the connection is not active or ended before the server
/// answered. <see cref="Exception.InnerException"/> holds what the official client reported. A call that fails
/// this way may or may not have reached the server.</summary>
public sealed class ChatHubConnectionClosedException(string message, Exception? innerException = null)
    : Exception(message, innerException);
