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

    /// <summary>Writes a script's output to the test's log and fails unless it exited 0 having reported every one of
    /// <paramref name="expected"/> checks, each passed (a check the script silently skipped fails too).
    /// <paramref name="context"/> is added to the failure message (e.g. a server's log).</summary>
    public static void AssertEveryCheckPassed(ProcessRun run, string script, IReadOnlyList<string> expected, Action<string> log,
        string? context = null)
    {
        log(run.StdOut);
        if (run.StdErr.Length > 0) log("stderr:\n" + run.StdErr);
        var checks = ParseChecks(run.StdOut);
        var failed = checks.Where(c => !c.Value.Ok).Select(c => $"{c.Key}: {c.Value.Detail}").ToList();
        var missing = expected.Where(name => !checks.ContainsKey(name)).ToList();
        Assert.True(failed.Count == 0 && missing.Count == 0 && run.ExitCode == 0,
            $"{script} exited {run.ExitCode}.\nFailed checks:\n  {string.Join("\n  ", failed)}\n" +
            $"Missing checks: {string.Join(", ", missing)}\nstdout:\n{run.StdOut}\nstderr:\n{run.StdErr}{context}");
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

    /// <summary>Server.Tests/js in the repository (the folder beside ChatHub.sln, above the test assembly).</summary>
    public static string JsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatHub.sln"))) return Path.Combine(dir.FullName, "Server.Tests", "js");
        Assert.Fail($"No ChatHub.sln above {AppContext.BaseDirectory}: cannot find Server.Tests/js");
        return "";
    }

    // One lock for every test class: two npm runs in one folder at once would break each other.
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>npm ci in <paramref name="js"/> (npm install without a lockfile) unless each of <paramref name="packages"/>
    /// is installed at its locked version; ./test.sh installs them before the tests, so this runs for a bare dotnet test.</summary>
    public static async Task EnsureInstalledAsync(string js, IReadOnlyList<string> packages, string purpose, Action<string> log)
    {
        await InstallLock.WaitAsync();
        try
        {
            var lockFile = Path.Combine(js, "package-lock.json");
            if (packages.All(p => InstalledVersion(js, p) is { } installed && (LockedVersion(lockFile, p) ?? installed) == installed)) return;

            var command = File.Exists(lockFile) ? "ci" : "install";
            log($"npm {command} in {js}");
            var run = await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", [command, "--no-audit", "--no-fund"], js,
                TimeSpan.FromMinutes(5), purpose);
            Assert.True(run.ExitCode == 0 && packages.All(p => InstalledVersion(js, p) is not null),
                $"npm {command} in {js} failed (exit {run.ExitCode}).\nstdout:\n{run.StdOut}\nstderr:\n{run.StdErr}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? LockedVersion(string lockFile, string package)
    {
        if (!File.Exists(lockFile)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(lockFile));
        return doc.RootElement.TryGetProperty("packages", out var packages)
               && packages.TryGetProperty($"node_modules/{package}", out var entry)
               && entry.TryGetProperty("version", out var version)
            ? version.GetString()
            : null;
    }
}
