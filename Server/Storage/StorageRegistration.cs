using ChatHub.Server.Hosting;

namespace ChatHub.Server.Storage;

/// <summary>A storage setting that cannot work: the server does not start, and says why in one line naming the key.</summary>
public sealed class StorageConfigurationException(string message) : Exception(message);

/// <summary>An engine that can hold the store. Each engine has one (e.g. <c>SqliteStoreProvider</c>), found here by
/// reflection: adding an engine adds its provider, and no list of engines is written anywhere else (the server, the
/// tests and test.sh all ask the providers).</summary>
public interface IStoreProvider
{
    /// <summary>As <c>Storage:Provider</c> spells it (any case); its settings are the section <c>Storage:{Name}</c>.</summary>
    string Name { get; }
    /// <summary>Other spellings <c>Storage:Provider</c> accepts.</summary>
    IReadOnlyList<string> Aliases { get; }
    /// <summary>The engine of a server whose <c>Storage:Provider</c> is empty.</summary>
    bool IsDefault { get; }
    /// <summary>Whether only one process may open a database (so several nodes cannot share one).</summary>
    bool OneProcessPerDatabase { get; }
    /// <summary>Its options class, read from <c>Storage:{Name}</c> (its <see cref="SettingsSectionAttribute"/>).</summary>
    Type SettingsType { get; }

    /// <summary>Registers the store (an <see cref="IChatStore"/> singleton) on its settings; a setting that cannot work
    /// throws <see cref="StorageConfigurationException"/>.</summary>
    void Register(IServiceCollection services, IConfigurationSection settings);
}

/// <summary>The usual provider: options bound from the engine's section, one store singleton.</summary>
public abstract class StoreProvider<TStore, TOptions> : IStoreProvider where TStore : class, IChatStore where TOptions : class
{
    public abstract string Name { get; }
    public virtual IReadOnlyList<string> Aliases => [];
    public virtual bool IsDefault => false;
    public virtual bool OneProcessPerDatabase => false;
    public Type SettingsType => typeof(TOptions);

    public virtual void Register(IServiceCollection services, IConfigurationSection settings)
    {
        services.Configure<TOptions>(settings);
        services.AddSingleton<TStore>();
        services.AddSingleton<IChatStore>(sp => sp.GetRequiredService<TStore>());
    }
}

public static class StorageRegistration
{
    public const string ProviderKey = "Storage:Provider"; // StorageOptions.Provider

    /// <summary>Every engine of this build, the default first.</summary>
    public static IReadOnlyList<IStoreProvider> Providers { get; } = typeof(IStoreProvider).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IStoreProvider).IsAssignableFrom(t))
        .Select(t => (IStoreProvider)Activator.CreateInstance(t)!)
        .OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>The provider <paramref name="name"/> names (its name or an alias, any case); the default for none.</summary>
    public static IStoreProvider? Find(string? name) => string.IsNullOrWhiteSpace(name)
        ? Providers.Single(p => p.IsDefault)
        : Providers.FirstOrDefault(p => p.Aliases.Prepend(p.Name).Contains(name.Trim(), StringComparer.OrdinalIgnoreCase));

    /// <summary>Registers the store that <c>Storage:Provider</c> names (<see cref="Providers"/>: Sqlite, the default;
    /// Postgres, which needs <c>Storage:Postgres:ConnectionString</c>; LiteDb, one process per file). Anything else
    /// stops the start.</summary>
    public static IServiceCollection AddChatStore(this IServiceCollection services, IConfiguration config)
    {
        var name = Settings.Read<StorageOptions>(config).Provider;
        var provider = Find(name) ?? throw new StorageConfigurationException(
            $"{ProviderKey} is '{name}': it must be {string.Join(", ", Providers.Select(p => p.IsDefault ? $"{p.Name} (the default)" : p.Name))}.");
        provider.Register(services, Settings.Section(provider.SettingsType, config));
        return services;
    }
}
