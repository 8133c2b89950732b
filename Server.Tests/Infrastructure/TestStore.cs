using System.Security.Cryptography;
using System.Text;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>How the API-level tests put a server's data on one engine: the settings of a server whose database path is
/// <c>dbPath</c>. One per engine, beside its conformance tests (e.g. <c>PostgresStoreTests.cs</c>), found by
/// <see cref="TestStore"/> by reflection: a new engine adds one, and no list of engines changes.</summary>
public interface ITestStoreSettings
{
    /// <summary>The provider's name, as Storage:Provider spells it.</summary>
    string Provider { get; }
    Task<IReadOnlyDictionary<string, string>> SettingsAsync(string dbPath);
}

/// <summary>The store that the servers of the API-level tests run on: <c>CHATHUB_TEST_STORE</c> names a store provider
/// (<see cref="StorageRegistration.Providers"/>, any case: sqlite, the default, postgres or litedb). ./test.sh runs the
/// whole suite on the default store, then the use-case tests (<see cref="UseCaseHost"/>) and the end-to-end tests marked
/// Run=EveryStore again on each other one. A test's
/// database path names its database on every store: the SQLite file itself, a LiteDB file beside it, or a PostgreSQL
/// database named after it on one cluster the test process shares. So a restart on the same path, or a second node on
/// it, finds the same data whatever the store.</summary>
public static class TestStore
{
    public const string Variable = "CHATHUB_TEST_STORE";

    private static readonly IStoreProvider Chosen = StorageRegistration.Find(Environment.GetEnvironmentVariable(Variable))
        ?? throw new InvalidOperationException(
            $"{Variable}={Environment.GetEnvironmentVariable(Variable)}: use one of {string.Join(", ", StorageRegistration.Providers.Select(p => p.Name.ToLowerInvariant()))}");

    /// <summary>The provider's name, as Storage:Provider spells it (Sqlite, Postgres, LiteDb).</summary>
    public static string Provider => Chosen.Name;

    public static bool IsSqlite => Provider == "Sqlite";

    private static readonly ITestStoreSettings Settings = typeof(TestStore).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ITestStoreSettings).IsAssignableFrom(t))
        .Select(t => (ITestStoreSettings)Activator.CreateInstance(t)!)
        .SingleOrDefault(s => s.Provider == Provider)
        ?? throw new InvalidOperationException($"no {nameof(ITestStoreSettings)} for the store {Provider}");

    /// <summary>The storage settings of a server on <paramref name="dbPath"/>. Storage:Sqlite:Path is always set, so
    /// that a test naming Sqlite itself never falls back to the default path.</summary>
    public static async Task<Dictionary<string, string>> SettingsAsync(string dbPath)
    {
        var settings = new Dictionary<string, string> { ["Storage:Sqlite:Path"] = dbPath };
        if (Chosen.IsDefault) return settings;
        settings[StorageRegistration.ProviderKey] = Provider;
        foreach (var (key, value) in await Settings.SettingsAsync(dbPath)) settings[key] = value;
        return settings;
    }

    /// <summary>Whether a server with these final settings keeps its data in the SQLite file at Storage:Sqlite:Path.</summary>
    public static bool UsesSqliteFile(IReadOnlyDictionary<string, string?> settings) =>
        StorageRegistration.Find(settings.GetValueOrDefault(StorageRegistration.ProviderKey))?.Name == "Sqlite";

    /// <summary>A name for the database of <paramref name="dbPath"/> on a server database (the same path, the same name).</summary>
    public static string DatabaseNameOf(string dbPath) =>
        "chathub_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dbPath))))[..24];
}
