using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A real redis-server as a child process on a free loopback port, with no persistence, so a test can
/// stop it (an outage) and start it again on the same port (a restart: empty, no subscriptions). Needs
/// redis-server on PATH (./test.sh installs Debian's when missing). Dispose kills it.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<string> _log = [];
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>What goes into Redis:Configuration.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>When the last (re)start first answered PING, on the <see cref="Stopwatch"/> clock: the moment Redis was
    /// back for a client, within the 5 ms between attempts.</summary>
    public long AnsweredAt { get; private set; }

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts redis-server on <see cref="Port"/> and waits until it answers PING (<see cref="AnsweredAt"/>).</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning) throw new InvalidOperationException("redis-server is running already");
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
            start.ArgumentList.Add(arg);
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh, or apt-get install redis-server", ex);
        }
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await PingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"redis-server did not start on port {Port}:\n{Log}");
            await Task.Delay(5);
        }
        AnsweredAt = Stopwatch.GetTimestamp();
    }

    /// <summary>Kills redis-server (an outage: every client connection drops, all subscriptions are gone).</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        _process = null;
    }

    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary>Sends one command in the inline protocol and returns the first reply line (e.g. "+PONG", ":2").</summary>
    public async Task<string> CommandAsync(params string[] words)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        var request = $"*{words.Length}\r\n" + string.Concat(words.Select(w => $"${System.Text.Encoding.UTF8.GetByteCount(w)}\r\n{w}\r\n"));
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(request));
        using var reader = new StreamReader(stream);
        return await reader.ReadLineAsync() ?? "";
    }

    /// <summary>How many clients subscribe to <paramref name="channel"/> (PUBSUB NUMSUB).</summary>
    public async Task<int> SubscribersAsync(string channel)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        var request = $"*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n${System.Text.Encoding.UTF8.GetByteCount(channel)}\r\n{channel}\r\n";
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(request));
        using var reader = new StreamReader(stream);
        // *2, $len, channel, :count
        for (var i = 0; i < 3; i++) await reader.ReadLineAsync();
        var count = await reader.ReadLineAsync();
        return int.Parse(count!.TrimStart(':'));
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            return await CommandAsync("PING") == "+PONG";
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
