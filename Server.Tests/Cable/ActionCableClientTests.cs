using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.ScaleOut;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Cable;

/// <summary>/cable against a client ChatHub did not write: the official <c>@rails/actioncable</c> client (the one
/// Chatwoot's widget uses) under Node with <c>ws</c>, running <c>Server.Tests/js/cable-wire-test.mjs</c> against real
/// servers: one node, and the customer on node A with the agent on node B behind a real Redis. Needs node and npm on
/// PATH (fails, never skips, without them); npm ci installs the client on first run (node_modules is not committed).</summary>
public sealed class ActionCableClientTests(ITestOutputHelper output)
{
    /// <summary>Every check the script must report as passed: a check the script silently skipped fails here.</summary>
    private static readonly string[] ExpectedChecks =
    [
        "subscribe.confirmed",
        "subscribe.subprotocol",
        "subscribe.unknownTokenRejected",
        "presence.onSubscribe",
        "presence.updatePresence",
        "conversation.created",
        "message.created.own",
        "typing.on",
        "typing.off",
        "message.created.agentReply",
        "conversation.status_changed",
        "stream.end",
        "privateNote.never",
        "activity.never",
        "contactCredentials.neverToOthers",
        "isolation.otherContact",
        "unknownToken.receivesNothing",
        "ping.every3s",
        "welcome.first",
    ];

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    [Fact]
    public async Task Official_actioncable_client_on_one_node()
    {
        await using var server = await ChatServer.StartAsync();
        await RunScriptAsync(server, server);
    }

    [Fact]
    public async Task Official_actioncable_client_on_node_A_with_the_agent_on_node_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RunScriptAsync(nodes.A, nodes.B);
    }

    private async Task RunScriptAsync(ChatServer customerNode, ChatServer agentNode)
    {
        var js = JsFolder();
        await EnsureInstalledAsync(js);
        var run = await RunAsync("node", ["cable-wire-test.mjs"], js, ScriptTimeout, new Dictionary<string, string>
        {
            ["CABLE_CONTACT_URL"] = customerNode.BaseUrl.ToString().TrimEnd('/'),
            ["CABLE_AGENT_URL"] = agentNode.BaseUrl.ToString().TrimEnd('/'),
            ["CABLE_INBOX"] = customerNode.InboxIdentifier,
            ["CABLE_AGENT_TOKEN"] = agentNode.AgentToken,
        });
        output.WriteLine(run.StdOut);
        if (run.StdErr.Length > 0) output.WriteLine("stderr:\n" + run.StdErr);

        var checks = ParseChecks(run.StdOut);
        var failed = checks.Where(c => !c.Value.Ok).Select(c => $"{c.Key}: {c.Value.Detail}").ToList();
        var missing = ExpectedChecks.Where(name => !checks.ContainsKey(name)).ToList();
        Assert.True(failed.Count == 0 && missing.Count == 0 && run.ExitCode == 0,
            $"cable-wire-test.mjs exited {run.ExitCode}.\nFailed checks:\n  {string.Join("\n  ", failed)}\n" +
            $"Missing checks: {string.Join(", ", missing)}\nstdout:\n{run.StdOut}\nstderr:\n{run.StdErr}");
    }

    private static string JsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatHub.sln"))) return Path.Combine(dir.FullName, "Server.Tests", "js");
        }
        Assert.Fail($"No ChatHub.sln above {AppContext.BaseDirectory}: cannot find Server.Tests/js");
        return "";
    }

    /// <summary>npm ci unless the locked @rails/actioncable and ws are installed (test.sh installs them too).</summary>
    private async Task EnsureInstalledAsync(string js)
    {
        await InstallLock.WaitAsync();
        try
        {
            string[] packages = ["@rails/actioncable", "ws"];
            using var lockDoc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(js, "package-lock.json")));
            var locked = lockDoc.RootElement.GetProperty("packages");
            if (packages.All(p => InstalledVersion(js, p) is { } v && v == locked.GetProperty($"node_modules/{p}").GetProperty("version").GetString()))
                return;
            output.WriteLine($"npm ci in {js}");
            var run = await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], js, TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, $"npm ci in {js} failed (exit {run.ExitCode}).\nstdout:\n{run.StdOut}\nstderr:\n{run.StdErr}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? InstalledVersion(string js, string package)
    {
        var file = Path.Combine(js, "node_modules", package, "package.json");
        if (!File.Exists(file)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    private sealed record CheckResult(bool Ok, string Detail);

    private static Dictionary<string, CheckResult> ParseChecks(string stdout)
    {
        var checks = new Dictionary<string, CheckResult>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{')) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("check", out var name) || !root.TryGetProperty("ok", out var ok)) continue;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetRawText() : "";
            var passed = ok.ValueKind == JsonValueKind.True && (!checks.TryGetValue(name.GetString()!, out var earlier) || earlier.Ok);
            checks[name.GetString()!] = new CheckResult(passed, detail);
        }
        return checks;
    }

    private sealed record ProcessRun(int ExitCode, string StdOut, string StdErr);

    private static async Task<ProcessRun> RunAsync(string fileName, string[] arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
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
            Assert.Fail($"Cannot run '{fileName}' ({ex.Message}): the /cable client test needs Node.js 18+ and npm on PATH.");
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
}
