using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Server.Hosting;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Operations;

/// <summary>docs/configuration.md tells the truth: every key the server reads (the properties of its options classes,
/// <see cref="Settings.Keys"/>) has a row there with its real default, every row names a key the server reads, the
/// shipped appsettings.json sets only such keys, and no code reads a key by name past the options classes (which
/// would make it invisible to this check).</summary>
public sealed partial class ConfigurationDocsTests
{
    private static readonly string Repository = NginxServer.RepositoryRoot();
    private static readonly string DocPath = Path.Combine(Repository, "docs", "configuration.md");

    [Fact]
    public void Every_setting_has_a_row_in_docs_configuration_and_every_row_is_a_setting()
    {
        var documented = DocumentedKeys().Select(row => row.Key).ToList();
        var read = Settings.Keys.Select(k => k.Key).ToList();
        Assert.True(read.Count > 60, $"only {read.Count} settings found: are the options classes marked with [SettingsSection]?");

        var undocumented = read.Except(documented, StringComparer.Ordinal).ToList();
        var unknown = documented.Except(read, StringComparer.Ordinal).ToList();
        var twice = documented.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        var problems = new List<string>();
        if (undocumented.Count > 0)
            problems.Add("The server reads these settings, but docs/configuration.md has no row for them:\n" + string.Join("\n", undocumented));
        if (unknown.Count > 0)
            problems.Add("docs/configuration.md documents these keys, but no options class has them:\n" + string.Join("\n", unknown));
        if (twice.Count > 0) problems.Add("docs/configuration.md has more than one row for:\n" + string.Join("\n", twice));
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    [Fact]
    public void Each_documented_default_is_the_options_class_default()
    {
        var documented = DocumentedKeys().ToDictionary(row => row.Key, row => row.Default, StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var (key, options, property) in Settings.Keys)
        {
            if (!documented.TryGetValue(key, out var cell)) continue; // the test above names it
            var expected = Format(property.GetValue(Activator.CreateInstance(options)));
            var shown = FirstCode().Match(cell) is { Success: true } m && cell.TrimStart().StartsWith('`') ? m.Groups[1].Value : null;
            if (shown != expected)
                wrong.Add($"{key}: the default is {(expected is null ? "empty" : $"`{expected}`")}, the row says '{cell}'");
        }
        Assert.True(wrong.Count == 0, "docs/configuration.md shows wrong defaults (a default that is empty or generated is " +
                                      "written as a word, e.g. 'empty'; any other starts with the value in backticks):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Every_key_of_the_shipped_appsettings_json_is_a_setting()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository, "appsettings.json")));
        var keys = Flatten(json.RootElement, "").ToList();
        Assert.Contains("Limits:MaxPageSize", keys);
        // ASP.NET Core's own (docs/configuration.md, "ASP.NET Core's settings").
        string[] hosts = ["Urls", "AllowedHosts", "Logging:"];
        var read = Settings.Keys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var unknown = keys.Where(k => !hosts.Any(h => k == h || (h.EndsWith(':') && k.StartsWith(h, StringComparison.Ordinal))))
            .Where(k => !read.Contains(Regex.Replace(k, @":\d+$", ""))).ToList();
        Assert.True(unknown.Count == 0, "appsettings.json sets keys the server never reads:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void Each_storage_engine_reads_the_section_named_after_it()
    {
        Assert.NotEmpty(StorageRegistration.Providers);
        foreach (var provider in StorageRegistration.Providers)
            Assert.Equal($"Storage:{provider.Name}", Settings.PathOf(provider.SettingsType));
    }

    [Fact]
    public void No_code_reads_a_setting_by_name_past_the_options_classes()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Repository, "Server"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.EndsWith(Path.Combine("Hosting", "Settings.cs"), StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files under Server/");
        var offences = (from file in files
                        let code = WithoutComments(File.ReadAllText(file))
                        from Match m in DirectRead().Matches(code)
                        select $"{Path.GetRelativePath(Repository, file)}: {m.Value.Trim()}").ToList();
        Assert.True(offences.Count == 0, "Read settings through an options class with [SettingsSection] and Settings.Read / " +
                                         "AddSettings, so that docs/configuration.md is checked against them:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_direct_read_check_sees_direct_reads()
    {
        string[] reads =
        [
            "var x = config[\"Metrics:Port\"];", "builder.Configuration[\"A\"]", "configuration.GetSection(\"Redis\")",
            "app.Configuration.GetValue<int?>(\"Metrics:Port\")", "config.GetValue(\"Metrics:Enabled\", true)",
        ];
        Assert.All(reads, read => Assert.Matches(DirectRead(), read));
        Assert.DoesNotMatch(DirectRead(), "headers.TryGetValue(\"api_access_token\", out var token)");
        Assert.DoesNotMatch(DirectRead(), "Settings.Read<MetricsOptions>(config).Port");
    }

    /// <summary>The rows of every table in docs/configuration.md whose first cell is one key in backticks with a
    /// section (<c>`Limits:MaxPageSize`</c>), and their second cell (the default).</summary>
    private static List<(string Key, string Default)> DocumentedKeys()
    {
        var rows = File.ReadLines(DocPath)
            .Select(line => KeyRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["key"].Value, m.Groups["default"].Value.Trim()))
            .ToList();
        Assert.True(rows.Count > 0, $"no rows of keys in {DocPath}");
        return rows;
    }

    /// <summary>A default as docs/configuration.md writes it: as .NET formats it (TimeSpan as <c>d.hh:mm:ss</c>), or
    /// null when it is empty.</summary>
    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IEnumerable items when !items.Cast<object>().Any() => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static IEnumerable<string> Flatten(JsonElement element, string prefix) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Flatten(p.Value, prefix == "" ? p.Name : $"{prefix}:{p.Name}")),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((item, i) => Flatten(item, $"{prefix}:{i}")),
        _ => [prefix],
    };

    private static string WithoutComments(string text) =>
        Regex.Replace(Regex.Replace(text, @"/\*.*?\*/", " ", RegexOptions.Singleline), @"//[^\n]*", " ");

    [GeneratedRegex(@"^\|\s*`(?<key>[A-Za-z]+(?::[A-Za-z0-9]+)+)`\s*\|(?<default>[^|]*)\|")]
    private static partial Regex KeyRow();

    [GeneratedRegex(@"`([^`]*)`")]
    private static partial Regex FirstCode();

    /// <summary>An indexer on something named *config* / *Configuration*, or GetSection / GetValue on anything.</summary>
    [GeneratedRegex(@"(?i:\w*config\w*)\s*\[\s*""|\.GetSection\s*\(|(?<!Try)\bGetValue\s*[<(]")]
    private static partial Regex DirectRead();
}
