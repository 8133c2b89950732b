using ChatHub.Server.Hosting;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>The "Storage:Sqlite" configuration section.</summary>
[SettingsSection("Storage:Sqlite")]
public sealed class SqliteOptions
{
    public string Path { get; set; } = "data/chathub.db";
    /// <summary>FULL (default) makes every commit durable across power loss; NORMAL is faster but may lose the
    /// last commits on power loss (never on a process crash).</summary>
    public string Synchronous { get; set; } = "FULL";
    /// <summary>The most commands one group commit takes.</summary>
    public int MaxBatchSize { get; set; } = 256;
    /// <summary>Commands that may wait for the writer; past it a caller waits for room (GroupCommit).</summary>
    public int MaxQueuedCommands { get; set; } = 20_000;
}
