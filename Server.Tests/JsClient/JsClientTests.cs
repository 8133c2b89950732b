using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.JsClient;

/// <summary>Wire compatibility with a client ChatHub did not write: the official <c>@microsoft/signalr</c>
/// JavaScript client, under Node, runs <c>Server.Tests/js/hub-wire-test.mjs</c> against a real server.
/// Needs <c>node</c> and <c>npm</c> on PATH (the test fails, not skips, without them); installs the client
/// with <c>npm ci</c> on first run (node_modules is not committed).</summary>
public sealed class JsClientTests(ITestOutputHelper output)
{
    /// <summary>Every check the script must report as passed: a script that silently skipped one fails here.</summary>
    private static readonly string[] ExpectedChecks =
    [
        "connect.negotiate",
        "connect.skipNegotiation.webSockets",
        "connect.queryStringToken",
        "connect.longPolling",
        "ping",
        "startConversation",
        "startConversation.customAttributes",
        "agent.conversationCreated",
        "agent.messageCreated",
        "contact.otherDevice.messageCreated",
        "agent.sendMessage",
        "contact.messageCreated",
        "sendMessage.idempotent",
        "agent.privateNote",
        "typing.contactToAgent",
        "typing.agentToContact",
        "markSeen.conversationUpdated",
        "getMessages.afterSeq",
        "getMessages.agentSeesPrivateNote",
        "error.validation",
        "error.forbidden.contactPrivateNote",
        "error.notFound.otherContactsConversation",
        "error.badArguments",
        "listConversations",
        "assign.conversationUpdated",
        "submitValues.messageUpdated",
        "updateContact.contactUpdated",
        "presence",
        "setStatus.resolved",
        "badToken.negotiate401",
        "badToken.webSocket",
        "noToken.negotiate401",
        "typing.notEchoed",
        "privateNote.neverReachesContact",
        "sender.ownConnectionSkipped",
        "isolation.otherContact",
        "seq.gapFreeAndOrdered",
        "wire.frames",
        "wire.unixSeconds",
        "disconnect",
    ];

    private const string Purpose = "JS client wire test";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    [Fact]
    public async Task Official_signalr_js_client_speaks_the_hub_protocol()
    {
        var js = JsFolder();
        await RequireNodeAsync(js);
        await EnsureInstalledAsync(js);

        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann (JS client)");
        var otherContact = await server.CreateContact("Bob (JS client)");

        var run = await NodeScripts.RunAsync("node", ["hub-wire-test.mjs"], js, ScriptTimeout, Purpose, new Dictionary<string, string>
        {
            ["CHATHUB_URL"] = server.BaseUrl.ToString().TrimEnd('/'),
            ["CHATHUB_CONTACT_TOKEN"] = contact.PubsubToken,
            ["CHATHUB_OTHER_CONTACT_TOKEN"] = otherContact.PubsubToken,
            ["CHATHUB_AGENT_TOKEN"] = server.AgentToken,
        });
        output.WriteLine(run.StdOut);
        if (run.StdErr.Length > 0) output.WriteLine("stderr:\n" + run.StdErr);

        var checks = NodeScripts.ParseChecks(run.StdOut);
        var failed = checks.Where(c => !c.Value.Ok).Select(c => $"{c.Key}: {c.Value.Detail}").ToList();
        var missing = ExpectedChecks.Where(name => !checks.ContainsKey(name)).ToList();
        Assert.True(failed.Count == 0 && missing.Count == 0 && run.ExitCode == 0,
            $"hub-wire-test.mjs exited {run.ExitCode}.\nFailed checks:\n  {string.Join("\n  ", failed)}\n" +
            $"Missing checks: {string.Join(", ", missing)}\nstdout:\n{run.StdOut}\nstderr:\n{run.StdErr}");
    }

    /// <summary>Server.Tests/js in the repository (the folder that holds ChatHub.sln, above the test assembly).</summary>
    private static string JsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatHub.sln")))
            {
                var js = Path.Combine(dir.FullName, "Server.Tests", "js");
                Assert.True(File.Exists(Path.Combine(js, "hub-wire-test.mjs")), $"{js}/hub-wire-test.mjs is missing");
                return js;
            }
        }
        Assert.Fail($"No ChatHub.sln above {AppContext.BaseDirectory}: cannot find Server.Tests/js");
        return "";
    }

    /// <summary>Fails (never skips) without Node.js 18+ on PATH: a silently skipped wire test proves nothing.</summary>
    private async Task RequireNodeAsync(string js)
    {
        var run = await NodeScripts.RunAsync("node", ["--version"], js, TimeSpan.FromSeconds(30), Purpose);
        var text = run.StdOut.Trim();
        output.WriteLine($"node {text}");
        Assert.True(run.ExitCode == 0 && text.StartsWith('v') && int.TryParse(text[1..].Split('.')[0], out var major) && major >= 18,
            $"The JS client wire test needs Node.js 18 or newer on PATH; 'node --version' said '{text}' (exit {run.ExitCode}).");
    }

    /// <summary>Runs npm ci (npm install without a lockfile) unless the locked @microsoft/signalr is installed.</summary>
    private async Task EnsureInstalledAsync(string js)
    {
        await InstallLock.WaitAsync();
        try
        {
            var lockFile = Path.Combine(js, "package-lock.json");
            var wanted = File.Exists(lockFile) ? LockedSignalrVersion(lockFile) : null;
            var installed = Path.Combine(js, "node_modules", "@microsoft", "signalr", "package.json");
            if (File.Exists(installed) && (wanted is null || wanted == NodeScripts.InstalledVersion(js, "@microsoft/signalr"))) return;

            var command = File.Exists(lockFile) ? "ci" : "install";
            output.WriteLine($"npm {command} in {js}");
            var run = await NodeScripts.RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
                [command, "--no-audit", "--no-fund"], js, InstallTimeout, Purpose);
            Assert.True(run.ExitCode == 0 && File.Exists(installed),
                $"npm {command} in {js} failed (exit {run.ExitCode}).\nstdout:\n{run.StdOut}\nstderr:\n{run.StdErr}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? LockedSignalrVersion(string lockFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(lockFile));
        return doc.RootElement.TryGetProperty("packages", out var packages)
               && packages.TryGetProperty("node_modules/@microsoft/signalr", out var package)
               && package.TryGetProperty("version", out var version)
            ? version.GetString()
            : null;
    }
}
