namespace ChatHub.Server.Storage.Postgres;

/// <summary>Storage:Provider = Postgres: a database at Storage:Postgres:ConnectionString, which several nodes may share.</summary>
public sealed class PostgresStoreProvider : StoreProvider<PostgresChatStore, PostgresOptions>
{
    public const string ConnectionStringKey = "Storage:Postgres:ConnectionString";

    public override string Name => "Postgres";
    public override IReadOnlyList<string> Aliases => ["PostgreSQL"];

    public override void Register(IServiceCollection services, IConfigurationSection settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Get<PostgresOptions>()?.ConnectionString))
            throw new StorageConfigurationException(
                $"{ConnectionStringKey} is required when {StorageRegistration.ProviderKey} is Postgres (e.g. Host=db;Username=chathub;Password=...;Database=chathub).");
        if (settings.Get<PostgresOptions>() is { WriterLanes: < PostgresOptions.MinWriterLanes or > PostgresOptions.MaxWriterLanes } options)
            throw new StorageConfigurationException(
                $"Storage:Postgres:WriterLanes must be between {PostgresOptions.MinWriterLanes} and {PostgresOptions.MaxWriterLanes}, not {options.WriterLanes}.");
        base.Register(services, settings);
    }
}
