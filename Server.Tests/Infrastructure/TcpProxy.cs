using System.Net;
using System.Net.Sockets;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A TCP relay on a loopback port between a client and a server, so a test can break the network:
/// cut every connection at once (a reset in both directions, as a dead Wi-Fi or NAT would), refuse new ones
/// (the server is unreachable), hold traffic (a stall), or point at another server.</summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Link> _links = [];
    private readonly Task _acceptLoop;
    private TaskCompletionSource _toServer = Flowing();
    private TaskCompletionSource _toClient = Flowing();
    private volatile Uri _target;
    private int _accepted;

    private TcpProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptLoopAsync();
    }

    public static TcpProxy Start(Uri target) => new(target);

    /// <summary>Where clients connect instead of the server.</summary>
    public Uri Url { get; }

    /// <summary>The server new connections are relayed to.</summary>
    public Uri Target { get => _target; set => _target = value; }

    /// <summary>While true, every new connection is reset as soon as it is accepted.</summary>
    public bool RefuseConnections { get; set; }

    /// <summary>Connections accepted so far (refused ones included).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Resets every open connection, both sides, without a close handshake.</summary>
    public void DropAll()
    {
        foreach (var link in Snapshot()) link.Abort();
    }

    /// <summary>Holds the bytes going one way (or both) until <see cref="Resume"/>, which sends them on; bytes
    /// held when the connection is dropped are lost with it.</summary>
    public void Pause(bool toServer = true, bool toClient = true)
    {
        lock (_links)
        {
            if (toServer && _toServer.Task.IsCompleted) _toServer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (toClient && _toClient.Task.IsCompleted) _toClient = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Resume()
    {
        lock (_links)
        {
            _toServer.TrySetResult();
            _toClient.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lifetime.Cancel();
        _listener.Stop();
        Resume();
        DropAll();
        try { await _acceptLoop; } catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private Link[] Snapshot() { lock (_links) return [.. _links]; }

    private Task WhenFlowing(bool toServer) { lock (_links) return toServer ? _toServer.Task : _toClient.Task; }

    private async Task AcceptLoopAsync()
    {
        while (!_lifetime.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_lifetime.Token);
            Interlocked.Increment(ref _accepted);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        if (RefuseConnections)
        {
            Link.Reset(client);
            return;
        }
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target.Port, _lifetime.Token);
        }
        catch (Exception)
        {
            Link.Reset(client);
            Link.Reset(server);
            return;
        }
        var link = new Link(client, server);
        lock (_links) _links.Add(link);
        await Task.WhenAll(PumpAsync(client, server, link, toServer: true), PumpAsync(server, client, link, toServer: false));
        lock (_links) _links.Remove(link);
        link.Close();
    }

    private async Task PumpAsync(Socket from, Socket to, Link link, bool toServer)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send); // pass the orderly close on
                    return;
                }
                await WhenFlowing(toServer);
                for (var sent = 0; sent < read;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            link.Abort(); // one side failed: so does the other, as on a real network
        }
    }

    private sealed class Link(Socket client, Socket server)
    {
        private int _closed;

        public void Abort()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Reset(client);
                Reset(server);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                client.Dispose();
                server.Dispose();
            }
        }

        /// <summary>Linger 0 makes close send a RST: the peer sees a reset, not a clean end.</summary>
        public static void Reset(Socket socket)
        {
            try { socket.LingerState = new LingerOption(true, 0); } catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
            socket.Dispose();
        }
    }
}
