namespace ChatHub.Client;

public enum ChatHubConnectionState
{
    Disconnected,
    Connecting,
    Connected,
    /// <summary>The socket was lost; waiting out a backoff delay or trying to connect again.</summary>
    Reconnecting,
}
