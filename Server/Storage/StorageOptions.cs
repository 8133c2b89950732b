using ChatHub.Server.Hosting;

namespace ChatHub.Server.Storage;

/// <summary>The "Storage" section: which engine holds the store. Each engine's own settings are the section
/// <c>Storage:{its name}</c> (e.g. <see cref="Sqlite.SqliteOptions"/>).</summary>
[SettingsSection("Storage")]
public sealed class StorageOptions
{
    /// <summary>An <see cref="IStoreProvider"/>'s name or alias, any case; empty: the default engine (SQLite).</summary>
    public string? Provider { get; set; }
}
