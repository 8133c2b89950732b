using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ChatHub.LoadTest.Setup;

/// <summary>The server being measured: a Release build spawned as a child process with a temporary database
/// (so its CPU and memory can be read), or a running one at a URL. With <c>--nodes 2</c>, two spawned nodes share
/// the database file and a redis-server started here: customers connect to node A, agents to node B, so every
/// message crosses nodes.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private string? _dataDirectory;
    private RedisProcess? _redis;
    private ChatHub.Server.Tests.Infrastructure.PostgresCluster? _postgres;

    private ServerUnderTest(IReadOnlyList<Uri> urls, string inbox, string adminToken)
    {
        Urls = urls;
        AgentUrls = urls;
        Inbox = inbox;
        AdminToken = adminToken;
    }

    /// <summary>One per server address; customer connections are spread over them (node A's, with two nodes).</summary>
    public IReadOnlyList<Uri> Urls { get; private set; }
    /// <summary>Where agents connect: node B's addresses with two nodes, otherwise <see cref="Urls"/>.</summary>
    public IReadOnlyList<Uri> AgentUrls { get; private set; }
    public Uri Url => Urls[0];
    public string Inbox { get; }
    public string AdminToken { get; }
    public bool IsSpawned => _processes.Count > 0;
    public int Nodes => Math.Max(1, _processes.Count);
    /// <summary>The spawned nodes' process ids (for /proc readings and tracing).</summary>
    public IReadOnlyList<int> ProcessIds => _processes.Select(p => p.Id).ToList();
    /// <summary>The PostgreSQL cluster's postmaster when this run started one (postgres store), else null.</summary>
    public int? DatabasePid => _postgres?.PostmasterPid;

    public static ServerUnderTest Attach(LoadOptions options) => new(
        [new Uri(options.Url!)],
        options.Inbox ?? throw new UsageException("--url needs --inbox IDENTIFIER"),
        options.AdminToken ?? throw new UsageException("--url needs --admin-token TOKEN"));

    public static async Task<ServerUnderTest> SpawnAsync(LoadOptions options)
    {
        var dll = FindServerDll();
        var data = Directory.CreateTempSubdirectory("chathub-load-").FullName;
        var inbox = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var server = new ServerUnderTest(Addresses(options), inbox, token) { _dataDirectory = data };
        try
        {
            string[] settings =
            [
                .. await server.StorageSettingsAsync(options, data),
                "--Limits:RateLimitsEnabled=false", $"--Bootstrap:AgentAccessToken={token}", $"--Bootstrap:InboxIdentifier={inbox}",
                "--Logging:LogLevel:Default=Warning",
                // Every simulated client comes from this machine's address, and all of them are contacts: lift the
                // per-address caps and the public share of the connection budget (docs/security.md); the total
                // stays derived from the open-files limit unless the connections scenario asks for more.
                "--Limits:MaxContactConnectionsPerAddress=0", "--Limits:MaxUnsubscribedSocketsPerAddress=0",
                "--Limits:PublicConnectionsPercent=100",
                .. options.Scenario == "connections" ? [$"--Limits:MaxRealtimeConnections={options.Connections + options.Agents + 16}"] : Array.Empty<string>(),
                .. options.ServerSettings.Select(setting => "--" + setting),
            ];
            if (options.Nodes == 1)
            {
                await server.SpawnNodeAsync(dll, "server", server.Urls, settings);
                return server;
            }
            server._redis = await RedisProcess.StartAsync();
            string[] backplane = [$"--Redis:Configuration={server._redis.Configuration}", "--Redis:ChannelPrefix=load"];
            // A first (it creates the schema and the bootstrap inbox), then B on the same file.
            await server.SpawnNodeAsync(dll, "node A", server.Urls, [.. settings, .. backplane]);
            server.AgentUrls = Addresses(options);
            await server.SpawnNodeAsync(dll, "node B", server.AgentUrls, [.. settings, .. backplane]);
            if (options.Spread)
            {
                // As behind a load balancer: connection i (customer or agent) on node A or B in turn.
                server.Urls = server.AgentUrls = [.. server.Urls.Zip(server.AgentUrls, (a, b) => new[] { a, b }).SelectMany(pair => pair)];
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The store's settings; for postgres, a cluster of this run's own with fsync on (durable figures).</summary>
    private async Task<string[]> StorageSettingsAsync(LoadOptions options, string data)
    {
        switch (options.Store)
        {
            case "postgres":
                _postgres = await ChatHub.Server.Tests.Infrastructure.PostgresCluster.StartAsync(fsync: true);
                return ["--Storage:Provider=Postgres", $"--Storage:Postgres:ConnectionString={_postgres.ConnectionString("postgres", maxPoolSize: 50)}"];
            case "litedb":
                return ["--Storage:Provider=LiteDb", $"--Storage:LiteDb:Path={Path.Combine(data, "load.litedb")}"];
            default:
                return [$"--Storage:Sqlite:Path={Path.Combine(data, "load.db")}", $"--Storage:Sqlite:Synchronous={options.Synchronous}"];
        }
    }

    private static List<Uri> Addresses(LoadOptions options)
    {
        var port = FreePort();
        return Enumerable.Range(1, Math.Max(1, options.Addresses)).Select(i => new Uri($"http://127.0.0.{i}:{port}")).ToList();
    }

    private async Task SpawnNodeAsync(string dll, string name, IReadOnlyList<Uri> urls, IEnumerable<string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "--urls", string.Join(';', urls.Select(u => u.ToString().TrimEnd('/'))) }.Concat(settings))
            start.ArgumentList.Add(arg);

        var process = Process.Start(start)!;
        _processes.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitHealthyAsync(process, urls[0]);
    }

    private static async Task WaitHealthyAsync(Process process, Uri url)
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"the server exited with code {process.ExitCode}");
            try
            {
                // "degraded" (Redis not heard yet) is 200 too: wait for "healthy".
                var response = await http.GetAsync(new Uri(url, "/healthz"));
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"status\":\"healthy\"")) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not become healthy in 30 s");
    }

    /// <summary>CPU time the server (every node, and Redis; not PostgreSQL's processes) has used so far; zero for a server not spawned here.</summary>
    public TimeSpan CpuTime()
    {
        var total = _redis?.CpuTime() ?? TimeSpan.Zero;
        foreach (var process in _processes)
        {
            process.Refresh();
            if (!process.HasExited) total += process.TotalProcessorTime;
        }
        return total;
    }

    /// <summary>(resident, peak resident) bytes from /proc, summed over spawned nodes.</summary>
    public (long Resident, long Peak) Memory()
    {
        if (!OperatingSystem.IsLinux()) return (0, 0);
        long Read(Process process, string key) => File.ReadLines($"/proc/{process.Id}/status")
            .Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).FirstOrDefault();
        var live = _processes.Where(p => !p.HasExited).ToList();
        return (live.Sum(p => Read(p, "VmRSS:")), live.Sum(p => Read(p, "VmHWM:")));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                // SIGTERM first: a graceful stop drains the writer; then make sure it is gone.
                using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()])) await term.WaitForExitAsync();
                if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
        if (_redis is not null) await _redis.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_dataDirectory is not null) try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>This repository's Release server, or the one CHATHUB_LOADTEST_SERVER names (another build of ChatHub,
    /// e.g. an older commit's, to compare it under the same load generator).</summary>
    private static string FindServerDll()
    {
        if (Environment.GetEnvironmentVariable("CHATHUB_LOADTEST_SERVER") is { Length: > 0 } other)
            return File.Exists(other) ? other : throw new InvalidOperationException($"CHATHUB_LOADTEST_SERVER: no server at {other}");
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
