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

    [Fact]
    public async Task Official_signalr_js_client_speaks_the_hub_protocol()
    {
        var js = NodeScripts.JsFolder();
        Assert.True(File.Exists(Path.Combine(js, "hub-wire-test.mjs")), $"{js}/hub-wire-test.mjs is missing");
        await RequireNodeAsync(js);
        await NodeScripts.EnsureInstalledAsync(js, ["@microsoft/signalr"], Purpose, output.WriteLine);

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
        NodeScripts.AssertEveryCheckPassed(run, "hub-wire-test.mjs", ExpectedChecks, output.WriteLine);
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
}
