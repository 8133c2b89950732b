using ChatHub.Server.Storage.LiteDb;
using ChatHub.Server.Storage.Postgres;
using ChatHub.Server.Storage.Sqlite;

namespace ChatHub.Server.Storage;

/// <summary>A storage setting that cannot work: the server does not start, and says why in one line naming the key.</summary>
public sealed class StorageConfigurationException(string message) : Exception(message);

public static class StorageRegistration
{
    public const string ProviderKey = "Storage:Provider";
    public const string PostgresConnectionStringKey = "Storage:Postgres:ConnectionString";

    /// <summary>Registers the store that <c>Storage:Provider</c> names: <c>Sqlite</c> (the default), <c>Postgres</c>
    /// (which needs <c>Storage:Postgres:ConnectionString</c>) or <c>LiteDb</c> (<c>Storage:LiteDb:Path</c>, one process
    /// per file). Anything else stops the start.</summary>
    public static IServiceCollection AddChatStore(this IServiceCollection services, IConfiguration config)
    {
        var provider = config[ProviderKey];
        switch (string.IsNullOrWhiteSpace(provider) ? "sqlite" : provider.Trim().ToLowerInvariant())
        {
            case "sqlite":
                services.Configure<SqliteOptions>(config.GetSection("Storage:Sqlite"));
                services.AddSingleton<SqliteChatStore>();
                services.AddSingleton<IChatStore>(sp => sp.GetRequiredService<SqliteChatStore>());
                break;
            case "postgres":
            case "postgresql":
                if (string.IsNullOrWhiteSpace(config[PostgresConnectionStringKey]))
                    throw new StorageConfigurationException(
                        $"{PostgresConnectionStringKey} is required when {ProviderKey} is Postgres (e.g. Host=db;Username=chathub;Password=...;Database=chathub).");
                services.Configure<PostgresOptions>(config.GetSection("Storage:Postgres"));
                services.AddSingleton<PostgresChatStore>();
                services.AddSingleton<IChatStore>(sp => sp.GetRequiredService<PostgresChatStore>());
                break;
            case "litedb":
                services.Configure<LiteDbOptions>(config.GetSection("Storage:LiteDb"));
                services.AddSingleton<LiteDbChatStore>();
                services.AddSingleton<IChatStore>(sp => sp.GetRequiredService<LiteDbChatStore>());
                break;
            default:
                throw new StorageConfigurationException(
                    $"{ProviderKey} is '{provider}': it must be Sqlite (the default), Postgres or LiteDb.");
        }
        return services;
    }
}
