namespace ChatHub.Client;

public enum ChatHubConnectionState
{
    Disconnected,
    Connecting,
    Connected,
}
