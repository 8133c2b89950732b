using ChatHub.Server.Hosting;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>Storage:Postgres in configuration.</summary>
[SettingsSection("Storage:Postgres")]
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string (Storage:Postgres:ConnectionString); required when Storage:Provider is Postgres.</summary>
    public string ConnectionString { get; set; } = "";
    /// <summary>The most commands one group commit takes.</summary>
    public int MaxBatchSize { get; set; } = 128;
    /// <summary>Commands that may wait for a writer lane; past it a caller waits for room (GroupCommit).</summary>
    public int MaxQueuedCommands { get; set; } = 20_000;
    /// <summary>Writers per node, each group-committing on a connection of its own; a contact's writes all go to one
    /// (<see cref="WriteOrder"/>). <see cref="MinWriterLanes"/> to <see cref="MaxWriterLanes"/>, checked at start.</summary>
    public int WriterLanes { get; set; } = 8;
    public const int MinWriterLanes = 1;
    public const int MaxWriterLanes = 64;
}
