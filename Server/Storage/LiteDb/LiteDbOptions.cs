using ChatHub.Server.Hosting;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>The "Storage:LiteDb" configuration section.</summary>
[SettingsSection("Storage:LiteDb")]
public sealed class LiteDbOptions
{
    /// <summary>The database file, beside the SQLite default; LiteDB keeps its log in "&lt;name&gt;-log.litedb" next to
    /// it and this store holds "&lt;file&gt;.lock" while it runs (one process per file).</summary>
    public string Path { get; set; } = "data/chathub.litedb";
    /// <summary>The most commands one group commit (one fsync) takes.</summary>
    public int MaxBatchSize { get; set; } = 256;
    /// <summary>Commands that may wait for the writer; past it a caller waits for room (GroupCommit).</summary>
    public int MaxQueuedCommands { get; set; } = 20_000;
    /// <summary>LiteDB tries a checkpoint (log into the data file) when its log passes 1000 pages, but only when no
    /// read is open; past this size the writer waits for the readers and checkpoints anyway.</summary>
    public long ForcedCheckpointLogBytes { get; set; } = 64L * 1024 * 1024;
}
