using System.Security.Cryptography;
using System.Text;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>The store that the servers of the API-level tests run on: <c>CHATHUB_TEST_STORE</c> = <c>sqlite</c> (the
/// default), <c>postgres</c> or <c>litedb</c>. ./test.sh runs the whole suite on SQLite, then the hub, REST, /cable,
/// client and kill tests again on each of the other two. A test's database path names its database on every store:
/// the SQLite file itself, a LiteDB file beside it, or a PostgreSQL database named after it on one cluster the test
/// process shares (started on first use, stopped when the process exits). So a restart on the same path, or a second
/// node on it, finds the same data whatever the store.</summary>
public static class TestStore
{
    public const string Variable = "CHATHUB_TEST_STORE";

    /// <summary>Sqlite, Postgres or LiteDb, as Storage:Provider spells them.</summary>
    public static string Provider { get; } = (Environment.GetEnvironmentVariable(Variable) ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "sqlite" => "Sqlite",
        "postgres" or "postgresql" => "Postgres",
        "litedb" => "LiteDb",
        var other => throw new InvalidOperationException($"{Variable}={other}: use sqlite, postgres or litedb"),
    };

    public static bool IsSqlite => Provider == "Sqlite";

    /// <summary>The storage settings of a server on <paramref name="dbPath"/>. Storage:Sqlite:Path is always set, so
    /// that a test naming Sqlite itself never falls back to the default path.</summary>
    public static async Task<Dictionary<string, string>> SettingsAsync(string dbPath)
    {
        var settings = new Dictionary<string, string> { ["Storage:Sqlite:Path"] = dbPath };
        switch (Provider)
        {
            case "LiteDb":
                settings["Storage:Provider"] = "LiteDb";
                settings["Storage:LiteDb:Path"] = Path.ChangeExtension(dbPath, ".litedb");
                break;
            case "Postgres":
                var cluster = await SharedCluster.Value;
                settings["Storage:Provider"] = "Postgres";
                settings["Storage:Postgres:ConnectionString"] = cluster.ConnectionString(await cluster.EnsureDatabaseAsync(DatabaseNameOf(dbPath)));
                break;
        }
        return settings;
    }

    /// <summary>Whether a server with these final settings keeps its data in the SQLite file at Storage:Sqlite:Path.</summary>
    public static bool UsesSqliteFile(IReadOnlyDictionary<string, string?> settings) =>
        !settings.TryGetValue("Storage:Provider", out var provider) || string.IsNullOrEmpty(provider) ||
        provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase);

    private static string DatabaseNameOf(string dbPath) =>
        "chathub_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dbPath))))[..24];

    private static readonly Lazy<Task<PostgresServer>> SharedCluster = new(async () =>
    {
        var cluster = new PostgresServer();
        await cluster.InitializeAsync();
        // xunit 2 has no assembly fixture: the cluster lives as long as the test process.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().GetAwaiter().GetResult();
        return cluster;
    });
}
