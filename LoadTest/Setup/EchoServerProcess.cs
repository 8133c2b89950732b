using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatHub.LoadTest.Setup;

/// <summary>The bare SignalR echo server (LoadTest/EchoServer, built in Release beside the load test) as a child
/// process on a free loopback port, so its CPU can be read like ChatHub's.</summary>
public sealed class EchoServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EchoServerProcess(Process process, Uri url)
    {
        _process = process;
        HubUrl = new Uri(url, "/hubs/echo");
    }

    public Uri HubUrl { get; }
    public int ProcessId => _process.Id;

    public static async Task<EchoServerProcess> StartAsync()
    {
        var dll = RepositoryFile("LoadTest", "EchoServer", "bin", "Release", "net10.0", "ChatHub.LoadTest.EchoServer.dll");
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--urls", url.ToString().TrimEnd('/') }) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[echo server] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new EchoServerProcess(process, url);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"the echo server exited with code {process.ExitCode}");
            try
            {
                if ((await http.GetAsync(new Uri(url, "/healthz"))).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException("the echo server did not answer in 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>A file of the repository (the folder with ChatHub.sln above the load test's binaries), which must exist.</summary>
    public static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChatHub.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("run LoadTest from the ChatHub repository (ChatHub.sln not found)");
        var path = Path.Combine([directory.FullName, .. parts]);
        return File.Exists(path) || Directory.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run with -c Release");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
