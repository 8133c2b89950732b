using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A real PostgreSQL cluster of the tests' own: initdb in a temp folder, pg_ctl start on a free loopback
/// port (its unix socket in that folder too), one fresh database per test (<see cref="CreateDatabaseAsync"/>), and
/// pg_ctl stop plus the folder deleted at the end. As root, initdb and pg_ctl run as the postgres user (PostgreSQL
/// refuses to run as root). Needs initdb and pg_ctl on PATH or in /usr/lib/postgresql/&lt;version&gt;/bin (./test.sh
/// installs Debian's postgresql when missing). The cluster runs with fsync=off: tests never crash the machine, and
/// a server killed with -9 loses nothing that way (only an OS crash would).</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private string _dataDir = "";
    private string _root = "";
    private string _binDir = "";

    public int Port { get; private set; }

    /// <summary>A connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = 20 }.ToString();

    public async Task InitializeAsync()
    {
        _binDir = FindBinDir();
        _root = TempDirectory.Create().Path;
        _dataDir = Path.Combine(_root, "data");
        Directory.CreateDirectory(_dataDir);
        if (IsRoot) await RunAsync("chown", "-R", "postgres:postgres", _root);
        await RunAsPostgresAsync("initdb", "-D", _dataDir, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C", "--no-sync");
        Port = FreePort();
        var settings = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_dataDir} -c fsync=off -c max_connections=200";
        await RunAsPostgresAsync("pg_ctl", "-D", _dataDir, "-l", Path.Combine(_root, "postgres.log"), "-o", settings, "-w", "-t", "60", "start");
    }

    /// <summary>A new, empty database on the cluster; its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"chathub_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>Creates <paramref name="name"/> unless it exists (a restart on the same database); returns the name.</summary>
    public async Task<string> EnsureDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
        }
        return name;
    }

    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dataDir != "" && File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
            await RunAsPostgresAsync("pg_ctl", "-D", _dataDir, "-m", "immediate", "-w", "stop");
        try { if (_root != "") Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
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

/// <summary>The tests that share one PostgreSQL cluster (each with databases of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
