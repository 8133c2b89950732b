using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A PostgreSQL cluster of our own: initdb in a fresh folder, pg_ctl start on a free loopback port (its unix
/// socket in that folder too, trust authentication), pg_ctl stop and the folder deleted at the end. As root, initdb
/// and pg_ctl run as the postgres user (PostgreSQL refuses to run as root). Needs initdb and pg_ctl on PATH or in
/// /usr/lib/postgresql/&lt;version&gt;/bin (./test.sh installs Debian's postgresql when missing). Shared, as a linked
/// file, by the tests (<see cref="PostgresServer"/>, with fsync off) and the load test (fsync on: its figures are
/// durable ones). Nothing here needs a PostgreSQL client library.</summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root;
    private readonly string _dataDir;
    private readonly string _binDir;

    private PostgresCluster(string root, string binDir, int port)
    {
        _root = root;
        _dataDir = Path.Combine(root, "data");
        _binDir = binDir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The postmaster's process id while the cluster runs (its backends are its children), else null.</summary>
    public int? PostmasterPid =>
        File.Exists(Path.Combine(_dataDir, "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(_dataDir, "postmaster.pid")).FirstOrDefault(), out var pid) ? pid : null;

    /// <summary>A connection string for <paramref name="database"/> as the postgres superuser.</summary>
    public string ConnectionString(string database, int maxPoolSize = 20) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size={maxPoolSize}";

    /// <param name="fsync">Off for tests (a killed server loses nothing that way; only an OS crash would), on for
    /// figures that claim durability.</param>
    public static async Task<PostgresCluster> StartAsync(bool fsync, int maxConnections = 200)
    {
        var root = Directory.CreateTempSubdirectory("chathub-postgres-").FullName;
        var cluster = new PostgresCluster(root, FindBinDir(), FreePort());
        try
        {
            Directory.CreateDirectory(cluster._dataDir);
            if (IsRoot) await RunAsync("chown", "-R", "postgres:postgres", root);
            await cluster.RunAsPostgresAsync("initdb", "-D", cluster._dataDir, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C", "--no-sync");
            var settings = $"-c listen_addresses=127.0.0.1 -p {cluster.Port} -k {cluster._dataDir} -c fsync={(fsync ? "on" : "off")} -c max_connections={maxConnections}";
            await cluster.RunAsPostgresAsync("pg_ctl", "-D", cluster._dataDir, "-l", Path.Combine(root, "postgres.log"), "-o", settings, "-w", "-t", "60", "start");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the cluster at once (as a crash would), keeping its folder: a store on it stops answering.</summary>
    public Task StopAsync() => RunAsPostgresAsync("pg_ctl", "-D", _dataDir, "-m", "immediate", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
            await RunAsPostgresAsync("pg_ctl", "-D", _dataDir, "-m", "immediate", "-w", "stop");
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunAsPostgresAsync(string tool, params string[] args)
    {
        var path = Path.Combine(_binDir, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Timeout);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static string FindBinDir()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (dir != "" && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb"))) return dir;
        // Debian's postgresql keeps its binaries off PATH.
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException("PostgreSQL is not installed (no pg_ctl): run ./test.sh, or apt-get install postgresql");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
