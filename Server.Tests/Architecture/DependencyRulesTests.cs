using System.Reflection;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Architecture;

/// <summary>The layering of README "Architecture", checked so that it stays true: nothing under <c>Server/Features</c>
/// references a channel, the REST adapters, the scale-out, SignalR or a store engine (the store contract is theirs to
/// use); no channel (<c>Server/Channels/Hub</c>, <c>Cable</c>, <c>Webhooks</c>) references another. Checked twice: on the
/// source (using directives and qualified names, comments and strings left out), which also sees constants the compiler
/// inlines; and on the compiled assembly (base types, fields, properties, parameters, return types and locals of every
/// type, the compiler's closures and state machines included), which also sees names a using directive did not
/// spell.</summary>
public sealed partial class DependencyRulesTests
{
    private const string Server = "ChatHub.Server";
    private static readonly string[] Channels = ["Hub", "Cable", "Webhooks"];

    /// <summary>Namespaces a feature must not use. The store contract is <c>ChatHub.Server.Storage</c> (and
    /// <c>.Abstractions</c>); every other namespace under Storage is an engine's.</summary>
    private static readonly string[] NotForFeatures =
    [
        $"{Server}.Channels", $"{Server}.Rest", $"{Server}.ScaleOut",
        "Microsoft.AspNetCore.SignalR", "StackExchange.Redis",
        "Microsoft.Data.Sqlite", "SQLitePCL", "Npgsql", "LiteDB", "Dapper",
    ];

    private static readonly Assembly ServerAssembly = typeof(ChatHubApp).Assembly;

    /// <summary>The store engines' namespaces, as the assembly has them (every namespace under Storage but the contract's).</summary>
    private static readonly string[] StorageEngines = ServerAssembly.GetTypes().Select(t => t.Namespace).OfType<string>()
        .Where(IsStorageEngine).Distinct().ToArray();

    [Fact]
    public void No_feature_references_a_channel_SignalR_or_a_store_engine_in_its_source()
    {
        var files = SourceFiles("Features");
        Assert.True(files.Count > 50, $"only {files.Count} files under Server/Features: is the repository where it was?");

        Assert.NotEmpty(StorageEngines);

        var offences = files.SelectMany(file => Offences(file, [.. NotForFeatures, .. StorageEngines])).ToList();

        Assert.True(offences.Count == 0, "Features must not depend on these:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void No_feature_type_depends_on_a_channel_SignalR_or_a_store_engine()
    {
        var features = ServerAssembly.GetTypes().Where(t => IsUnder(t.Namespace, $"{Server}.Features")).ToList();
        Assert.True(features.Count > 50, $"only {features.Count} types under {Server}.Features");

        var offences = (
            from type in features
            from used in Dependencies(type)
            where NotForFeatures.Any(ns => IsUnder(used.Namespace, ns)) || IsStorageEngine(used.Namespace) || used == typeof(ChatHub)
            select $"{type.FullName} uses {used.FullName}").Distinct().ToList();

        Assert.True(offences.Count == 0, "Features must not depend on these:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void No_channel_references_another_in_its_source()
    {
        var offences = new List<string>();
        foreach (var channel in Channels)
        {
            var files = SourceFiles(Path.Combine("Channels", channel));
            Assert.True(files.Count >= 5, $"only {files.Count} files under Server/Channels/{channel}");
            var others = Channels.Where(c => c != channel).Select(c => $"{Server}.Channels.{c}").ToArray();
            offences.AddRange(files.SelectMany(file => Offences(file, others)));
            // The hub class lives in ChatHub.Server (see ChatHub.cs), where every channel sees it unqualified.
            if (channel != "Hub")
                offences.AddRange(files.Where(file => HubClass().IsMatch(Code(file))).Select(file => $"{Relative(file)}: names the ChatHub class"));
        }

        Assert.True(offences.Count == 0, "A channel must not depend on another:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void No_channel_type_depends_on_another_channel()
    {
        var byChannel = ServerAssembly.GetTypes().Select(t => (Type: t, Channel: ChannelOf(t))).Where(t => t.Channel is not null).ToList();
        Assert.All(Channels, channel => Assert.Contains(byChannel, t => t.Channel == channel));

        var offences = (
            from t in byChannel
            from used in Dependencies(t.Type)
            let other = ChannelOf(used)
            where other is not null && other != t.Channel
            select $"{t.Type.FullName} ({t.Channel}) uses {used.FullName} ({other})").Distinct().ToList();

        Assert.True(offences.Count == 0, "A channel must not depend on another:\n" + string.Join("\n", offences));
    }

    /// <summary>The checks see what they look for: the /cable channel does use SignalR, and the webhook channel does use
    /// the webhook feature's rules (the direction that is allowed), in its source and in its types.</summary>
    [Fact]
    public void The_checks_see_real_dependencies()
    {
        var cable = SourceFiles(Path.Combine("Channels", "Cable"));
        Assert.Contains(cable, file => Offences(file, ["Microsoft.AspNetCore.SignalR"]).Any());
        Assert.Contains(SourceFiles(Path.Combine("Channels", "Webhooks")), file => Offences(file, [$"{Server}.Features.Webhooks"]).Any());
        Assert.Contains(ServerAssembly.GetTypes().Where(t => ChannelOf(t) == "Cable"),
            t => Dependencies(t).Any(used => IsUnder(used.Namespace, "Microsoft.AspNetCore.SignalR")));
        Assert.Contains(ServerAssembly.GetTypes().Where(t => ChannelOf(t) == "Webhooks"),
            t => Dependencies(t).Any(used => IsUnder(used.Namespace, $"{Server}.Features.Webhooks")));
        Assert.Contains(ServerAssembly.GetTypes(), t => t.Namespace == $"{Server}.Features.Webhooks"
            && Dependencies(t).Any(used => used.Namespace == $"{Server}.Storage"));
    }

    private static string? ChannelOf(Type type)
    {
        if (type == typeof(ChatHub)) return "Hub";
        var parts = type.Namespace?.Split('.') ?? [];
        return parts.Length >= 4 && $"{parts[0]}.{parts[1]}.{parts[2]}" == $"{Server}.Channels" ? parts[3] : null;
    }

    private static bool IsUnder(string? ns, string root) => ns is not null && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal));

    private static bool IsStorageEngine(string? ns) =>
        IsUnder(ns, $"{Server}.Storage") && ns != $"{Server}.Storage" && ns != $"{Server}.Storage.Abstractions";

    /// <summary>Every type <paramref name="type"/> names in its signatures, fields and locals, generic arguments and
    /// element types unwrapped; its nested types (closures, async state machines) are types of the assembly too.</summary>
    private static IEnumerable<Type> Dependencies(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var named = new List<Type?> { type.BaseType };
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(all).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo m) named.Add(m.ReturnType);
            named.AddRange(method.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []);
        }
        return named.OfType<Type>().SelectMany(Unwrap).Distinct();
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (type.IsGenericParameter) return [];
        if (!type.IsGenericType) return [type];
        return type.GetGenericArguments().SelectMany(Unwrap).Prepend(type.GetGenericTypeDefinition());
    }

    private static List<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(NginxServer.RepositoryRoot(), "Server", folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).ToList();

    /// <summary>Where <paramref name="file"/> names one of <paramref name="namespaces"/>: in full, or relative to a
    /// namespace the file is in (a file of ChatHub.Server.Features.X may write <c>Channels.Hub.EventPublisher</c>, one of
    /// ChatHub.Server.Channels.Cable <c>Hub.EventPublisher</c>).</summary>
    private static IEnumerable<string> Offences(string file, IReadOnlyList<string> namespaces)
    {
        var code = Code(file);
        var own = FileNamespace().Match(code) is { Success: true } m ? m.Groups[1].Value : "";
        var enclosing = own.Split('.').Select((_, i) => string.Join('.', own.Split('.')[..(i + 1)])).Where(e => e != "").ToList();
        foreach (var ns in namespaces)
        {
            var spellings = enclosing.Where(e => ns.StartsWith(e + ".", StringComparison.Ordinal)).Select(e => ns[(e.Length + 1)..]);
            if (Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(ns)}(?![\w])")
                || spellings.Any(relative => Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(relative)}\s*\.")))
                yield return $"{Relative(file)}: {ns}";
        }
    }

    /// <summary>The file without comments and string literals: what the compiler reads as names.</summary>
    private static string Code(string file)
    {
        var text = File.ReadAllText(file);
        text = Regex.Replace(text, @"/\*.*?\*/", " ", RegexOptions.Singleline);
        text = Regex.Replace(text, @"@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)*'", "\"\"");
        return Regex.Replace(text, @"//[^\n]*", " ");
    }

    private static string Relative(string file) => Path.GetRelativePath(NginxServer.RepositoryRoot(), file);

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"(?<![\w.])ChatHub(?![\w.])")]
    private static partial Regex HubClass();
}
