namespace ChatHub.Server.Storage.Sqlite;

/// <summary>The "Storage:Sqlite" configuration section.</summary>
public sealed class SqliteOptions
{
    public string Path { get; set; } = "data/chathub.db";
    /// <summary>FULL (default) makes every commit durable across power loss; NORMAL is faster but may lose the
    /// last commits on power loss (never on a process crash).</summary>
    public string Synchronous { get; set; } = "FULL";
    /// <summary>The most commands one group commit takes.</summary>
    public int MaxBatchSize { get; set; } = 256;
    /// <summary>Commands waiting for the writer before callers are told "unavailable".</summary>
    public int MaxQueuedCommands { get; set; } = 20_000;
}
