using System.Reflection;

namespace ChatHub.Server.Hosting;

/// <summary>Names the configuration section an options class is read from (e.g. <c>"Limits"</c>). Every setting
/// ChatHub reads is a property of such a class, read through <see cref="Settings"/>, so the list of keys is the
/// server's own (<see cref="Settings.Keys"/>): docs/configuration.md is checked against it by a test.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SettingsSectionAttribute(string path) : Attribute
{
    /// <summary>The section's path, <c>:</c> between levels (<c>"Storage:Sqlite"</c>).</summary>
    public string Path { get; } = path;
}

/// <summary>The one way the server reads its configuration: an options class marked with
/// <see cref="SettingsSectionAttribute"/>, bound from its section. No key is read by name anywhere else.</summary>
public static class Settings
{
    /// <summary>The section <typeparamref name="T"/> is read from.</summary>
    public static IConfigurationSection Section<T>(IConfiguration config) => Section(typeof(T), config);

    public static IConfigurationSection Section(Type options, IConfiguration config) => config.GetSection(PathOf(options));

    /// <summary>The settings now, for what is decided once at start (Kestrel's limits, which store, whether Redis).</summary>
    public static T Read<T>(IConfiguration config) where T : class, new() => Section<T>(config).Get<T>() ?? new T();

    /// <summary>Registers <c>IOptions&lt;T&gt;</c> bound to the section.</summary>
    public static IServiceCollection AddSettings<T>(this IServiceCollection services, IConfiguration config) where T : class =>
        services.Configure<T>(Section<T>(config));

    public static string PathOf(Type options) => options.GetCustomAttribute<SettingsSectionAttribute>()?.Path
        ?? throw new InvalidOperationException($"{options.Name} has no [SettingsSection]: say which section it is read from");

    /// <summary>Every options class of the server.</summary>
    public static IReadOnlyList<Type> OptionsTypes { get; } = typeof(Settings).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<SettingsSectionAttribute>() is not null).OrderBy(t => PathOf(t), StringComparer.Ordinal).ToList();

    /// <summary>Every key the server reads (<c>Section:Property</c>), with the options class and property behind it.</summary>
    public static IReadOnlyList<(string Key, Type Options, PropertyInfo Property)> Keys { get; } = OptionsTypes
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod is { IsPublic: true })
            .Select(p => ($"{PathOf(t)}:{p.Name}", t, p)))
        .OrderBy(k => k.Item1, StringComparer.Ordinal).ToList();
}
