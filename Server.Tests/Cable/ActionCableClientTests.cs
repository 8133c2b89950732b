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

    private const string Purpose = "/cable client test";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Official_actioncable_client_on_one_node()
    {
        await using var server = await ChatServer.StartAsync();
        await RunScriptAsync(server, server);
    }

    [Fact, Trait("Store", "SharedDatabase")] // two nodes on one database: not on LiteDB (one process per file)
    public async Task Official_actioncable_client_on_node_A_with_the_agent_on_node_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RunScriptAsync(nodes.A, nodes.B);
    }

    private async Task RunScriptAsync(ChatServer customerNode, ChatServer agentNode)
    {
        var js = NodeScripts.JsFolder();
        await NodeScripts.EnsureInstalledAsync(js, ["@rails/actioncable", "ws"], Purpose, output.WriteLine);
        var run = await NodeScripts.RunAsync("node", ["cable-wire-test.mjs"], js, ScriptTimeout, Purpose, new Dictionary<string, string>
        {
            ["CABLE_CONTACT_URL"] = customerNode.BaseUrl.ToString().TrimEnd('/'),
            ["CABLE_AGENT_URL"] = agentNode.BaseUrl.ToString().TrimEnd('/'),
            ["CABLE_INBOX"] = customerNode.InboxIdentifier,
            ["CABLE_AGENT_TOKEN"] = agentNode.AgentToken,
        });
        NodeScripts.AssertEveryCheckPassed(run, "cable-wire-test.mjs", ExpectedChecks, output.WriteLine);
    }
}
