using System.Collections.Concurrent;
using ChatHub.Server.ScaleOut;

namespace ChatHub.Server.Channels.Cable;

/// <summary>This node's open /cable sockets. Behind Redis, each time the backplane turns healthy again after an
/// outage (during which broadcasts were lost), every socket is told to reconnect (ActionCable's <c>disconnect</c>
/// with <c>reconnect: true</c>), as the hub's connections are closed (docs/architecture.md, "Scale-out: how it works"): Chatwoot's widget
/// fetches the latest messages when it reconnects.</summary>
public sealed class CableSockets
{
    private readonly ConcurrentDictionary<CableSocket, byte> _open = new();

    public CableSockets(IServiceProvider services)
    {
        if (services.GetService<IBackplaneStatus>() is { } backplane) backplane.BecameHealthy += ReconnectAll;
    }

    public void Add(CableSocket socket) => _open.TryAdd(socket, 0);

    public void Remove(CableSocket socket) => _open.TryRemove(socket, out _);

    private void ReconnectAll()
    {
        foreach (var socket in _open.Keys) _ = socket.RequestReconnectAsync();
    }
}
