using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>One check a Node test script reported: a JSON line <c>{"check":..,"ok":..,"detail":..}</c>.</summary>
internal sealed record NodeCheck(bool Ok, string Detail);

internal sealed record ProcessRun(int ExitCode, string StdOut, string StdErr);

/// <summary>Helpers shared by the tests that run a client ChatHub did not write under Node (Server.Tests/js).</summary>
internal static class NodeScripts
{
    /// <summary>The checks a script printed on stdout, by name; lines that are not check objects are ignored.</summary>
    public static Dictionary<string, NodeCheck> ParseChecks(string stdout)
    {
        var checks = new Dictionary<string, NodeCheck>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{')) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("check", out var name) || !root.TryGetProperty("ok", out var ok)) continue;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetRawText() : "";
            // A check reported twice counts as passed only if it passed every time.
            var passed = ok.ValueKind == JsonValueKind.True && (!checks.TryGetValue(name.GetString()!, out var earlier) || earlier.Ok);
            checks[name.GetString()!] = new NodeCheck(passed, detail);
        }
        return checks;
    }

    /// <summary>Runs a program to its end, or kills it (and its children) after the timeout. <paramref name="purpose"/>
    /// names the test that needs Node.js in the failure message when the program cannot start.</summary>
    public static async Task<ProcessRun> RunAsync(string fileName, string[] arguments, string workingDirectory, TimeSpan timeout,
        string purpose, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"Cannot run '{fileName}' ({ex.Message}). The {purpose} needs Node.js 18+ and npm on PATH: " +
                        "install them (see the README's test command) and run the tests again.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds} s.\n" +
                            $"stdout:\n{await stdout}\nstderr:\n{await stderr}");
            }
            return new ProcessRun(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>The version in <c>node_modules/&lt;package&gt;/package.json</c> under <paramref name="jsFolder"/>,
    /// or null when the package is not installed or its package.json has no version.</summary>
    public static string? InstalledVersion(string jsFolder, string package)
    {
        var file = Path.Combine(jsFolder, "node_modules", package, "package.json");
        if (!File.Exists(file)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }
}
