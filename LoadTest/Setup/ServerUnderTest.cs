using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ChatHub.LoadTest.Setup;

/// <summary>The server being measured: a Release build spawned as a child process with a temporary database
/// (so its CPU and memory can be read), or a running one at a URL.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly string? _dataDirectory;

    private ServerUnderTest(IReadOnlyList<Uri> urls, string inbox, string adminToken, Process? process, string? dataDirectory)
    {
        Urls = urls;
        Inbox = inbox;
        AdminToken = adminToken;
        _process = process;
        _dataDirectory = dataDirectory;
    }

    /// <summary>One per server address; connections are spread over them.</summary>
    public IReadOnlyList<Uri> Urls { get; }
    public Uri Url => Urls[0];
    public string Inbox { get; }
    public string AdminToken { get; }
    public bool IsSpawned => _process is not null;

    public static ServerUnderTest Attach(LoadOptions options) => new(
        [new Uri(options.Url!)],
        options.Inbox ?? throw new UsageException("--url needs --inbox IDENTIFIER"),
        options.AdminToken ?? throw new UsageException("--url needs --admin-token TOKEN"), null, null);

    public static async Task<ServerUnderTest> SpawnAsync(LoadOptions options)
    {
        var dll = FindServerDll();
        var port = FreePort();
        var urls = Enumerable.Range(1, Math.Max(1, options.Addresses)).Select(i => new Uri($"http://127.0.0.{i}:{port}")).ToList();
        var data = Directory.CreateTempSubdirectory("chathub-load-").FullName;
        var inbox = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            dll, "--urls", string.Join(';', urls.Select(u => u.ToString().TrimEnd('/'))),
            $"--Storage:Sqlite:Path={Path.Combine(data, "load.db")}", $"--Storage:Sqlite:Synchronous={options.Synchronous}",
            "--Limits:MessagesPerWindow=0", $"--Bootstrap:AgentAccessToken={token}", $"--Bootstrap:InboxIdentifier={inbox}",
            "--Logging:LogLevel:Default=Warning",
        }) start.ArgumentList.Add(arg);

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[server] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerUnderTest(urls, inbox, token, process, data);
        await server.WaitHealthyAsync();
        return server;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_process is { HasExited: true }) throw new InvalidOperationException($"the server exited with code {_process.ExitCode}");
            try
            {
                if ((await http.GetAsync(new Uri(Url, "/healthz"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not become healthy in 30 s");
    }

    /// <summary>CPU time the server has used so far; zero for a server not spawned here.</summary>
    public TimeSpan CpuTime()
    {
        if (_process is null) return TimeSpan.Zero;
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>(resident, peak resident) bytes from /proc, for a spawned server.</summary>
    public (long Resident, long Peak) Memory()
    {
        if (_process is null || !OperatingSystem.IsLinux()) return (0, 0);
        long Read(string key) => File.ReadLines($"/proc/{_process.Id}/status")
            .Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).FirstOrDefault();
        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                // SIGTERM first: a graceful stop drains the writer; then make sure it is gone.
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
                if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
        }
        if (_dataDirectory is not null) try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    private static string FindServerDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChatHub.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("run LoadTest from the ChatHub repository (ChatHub.sln not found)");
        var dll = Path.Combine(directory.FullName, "Server", "bin", "Release", "net10.0", "ChatHub.Server.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"no Release server at {dll}: run with -c Release");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
