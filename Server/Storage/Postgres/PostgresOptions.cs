namespace ChatHub.Server.Storage.Postgres;

/// <summary>Storage:Postgres in configuration.</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string (Storage:Postgres:ConnectionString); required when Storage:Provider is Postgres.</summary>
    public string ConnectionString { get; set; } = "";
    /// <summary>The most commands one group commit takes.</summary>
    public int MaxBatchSize { get; set; } = 128;
    /// <summary>Commands waiting for the writer before callers wait in turn.</summary>
    public int MaxQueuedCommands { get; set; } = 20_000;
}
