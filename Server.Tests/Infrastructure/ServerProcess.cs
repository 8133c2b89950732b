using System.Diagnostics;
using System.Text.RegularExpressions;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>The built server (ChatHub.Server.dll) as a child process, so that tests can kill it for real
/// (SIGKILL) or stop it the way an operator does (SIGTERM). It listens on a port the kernel picks
/// (--urls http://127.0.0.1:0, read back from its log), so parallel tests never clash on a port.
/// Dispose always kills a process that is still running.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly List<string> _log = [];

    private ServerProcess(Process process, string dbPath, string agentToken, string inboxIdentifier)
    {
        _process = process;
        DbPath = dbPath;
        AgentToken = agentToken;
        InboxIdentifier = inboxIdentifier;
    }

    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string DbPath { get; }
    /// <summary>Whether its data is in the SQLite file at <see cref="DbPath"/> (not another store).</summary>
    public bool UsesSqliteFile { get; private set; }
    public string AgentToken { get; }
    public string InboxIdentifier { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string ClientApi => $"/public/api/v1/inboxes/{InboxIdentifier}";

    /// <summary>What the process wrote to stdout and stderr so far (for failure messages).</summary>
    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary>Starts the server on <paramref name="dbPath"/> (a fresh file by default) and waits until
    /// /healthz answers.</summary>
    public static async Task<ServerProcess> StartAsync(string? dbPath = null, string? agentToken = null,
        string? inboxIdentifier = null, IDictionary<string, string>? settings = null)
    {
        dbPath ??= Path.Combine(TempDirectory.Create().Path, "chathub.db");
        agentToken ??= Tokens.NewSecret();
        inboxIdentifier ??= Tokens.NewIdentifier();
        var (start, usesSqliteFile) = await NewStartInfoAsync(dbPath, agentToken, inboxIdentifier, settings);
        var serverDll = start.ArgumentList[0];

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, dbPath, agentToken, inboxIdentifier) { UsesSqliteFile = usesSqliteFile };
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (server._log) server._log.Add(line);
            if (ListeningLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server process exited during start"));

        if (!process.Start()) throw new InvalidOperationException($"could not start {start.FileName} {serverDll}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.BaseUrl = await listening.Task.WaitAsync(StartTimeout);
            server.Http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
            await server.WaitHealthyAsync();
            return server;
        }
        catch (Exception ex)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"the server did not start: {ex.Message}\n{server.Log}", ex);
        }
    }

    /// <summary>Starts the server as <see cref="StartAsync"/> does, for a start expected to fail: waits for the process to
    /// exit (bounded) and returns its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string dbPath, IDictionary<string, string>? settings = null)
    {
        var (start, _) = await NewStartInfoAsync(dbPath, Tokens.NewSecret(), Tokens.NewIdentifier(), settings);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(StartTimeout);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>The process to start, and whether its data is in the SQLite file at <paramref name="dbPath"/>.</summary>
    private static async Task<(ProcessStartInfo Start, bool UsesSqliteFile)> NewStartInfoAsync(string dbPath, string agentToken,
        string inboxIdentifier, IDictionary<string, string>? settings)
    {
        var serverDll = FindServerDll();

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dbPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var config = new Dictionary<string, string>
        {
            ["Bootstrap:AgentAccessToken"] = agentToken,
            ["Bootstrap:InboxIdentifier"] = inboxIdentifier,
            ["Limits:RateLimitsEnabled"] = "false", // tests that test a limit turn them on
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in await TestStore.SettingsAsync(dbPath)) config[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) config[key] = value;
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (key, value) in config) start.ArgumentList.Add($"--{key}={value}");
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment["DOTNET_NOLOGO"] = "1";

        return (start, TestStore.UsesSqliteFile(config.ToDictionary(e => e.Key, e => (string?)e.Value)));
    }

    /// <summary>The built server's command line (<c>reset-token ...</c>) on the database at <paramref name="dbPath"/>, with
    /// the test store's settings and <paramref name="settings"/> (e.g. the Redis of running nodes).</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunCommandLineAsync(string dbPath,
        IReadOnlyDictionary<string, string?>? settings, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dbPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(FindServerDll());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in await TestStore.SettingsAsync(dbPath)) start.ArgumentList.Add($"--{key}={value}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) start.ArgumentList.Add($"--{key}={value}");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (process.ExitCode, await stdout, await stderr);
    }

    public static Task<(int ExitCode, string StdOut, string StdErr)> RunCommandLineAsync(string dbPath, params string[] args) =>
        RunCommandLineAsync(dbPath, null, args);

    /// <summary>Polls /healthz until it answers 200 (a bound against hanging, not a speed assertion).</summary>
    public async Task WaitHealthyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline || _process.HasExited)
                throw new TimeoutException($"/healthz did not answer 200\n{Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush or close anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGTERM, as systemd, Docker and Kubernetes stop a service; waits for the process to exit and
    /// returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan? within = null)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", ProcessId.ToString() }, UseShellExecute = false })!)
            await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(within ?? TimeSpan.FromSeconds(90));
        return _process.ExitCode;
    }

    /// <summary>The process's resident memory now (VmRSS of /proc/PID/status), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
    }

    public HttpClient AgentHttp(string accessToken)
    {
        var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("api_access_token", accessToken);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        finally
        {
            Http?.Dispose();
            _process.Dispose();
        }
    }

    /// <summary>The server assembly the tests reference (copied next to them with its runtimeconfig and
    /// deps), or else the server project's own build output.</summary>
    internal static string FindServerDll()
    {
        var referenced = typeof(ChatHubApp).Assembly.Location;
        if (IsRunnable(referenced)) return referenced;
        var testDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(testDir);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDir)!);
        for (var dir = new DirectoryInfo(testDir); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Server", "bin", configuration, framework, "ChatHub.Server.dll");
            if (IsRunnable(candidate)) return candidate;
        }
        throw new FileNotFoundException($"ChatHub.Server.dll with its runtimeconfig.json was not found (looked at {referenced}); build the solution first");
    }

    private static bool IsRunnable(string dll) =>
        File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")) && File.Exists(Path.ChangeExtension(dll, ".deps.json"));

    internal static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
