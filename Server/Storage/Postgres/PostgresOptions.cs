namespace ChatHub.Server.Storage.Postgres;

/// <summary>Storage:Postgres in configuration.</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string (Storage:Postgres:ConnectionString); required when Storage:Provider is Postgres.</summary>
    public string ConnectionString { get; set; } = "";
}
