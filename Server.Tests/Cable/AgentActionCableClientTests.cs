using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.ScaleOut;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Cable;

/// <summary>An agent on /cable through the official <c>@rails/actioncable</c> client, subscribed as Chatwoot's dashboard
/// does (<c>Server.Tests/js/cable-agent-test.mjs</c>): it hears a customer's message, a private note, an assignment and
/// a status change of its inbox, nothing of an inbox it is not in, and is disconnected for good when deactivated. On one
/// node, and with the customers and the administrator on node A and the agent's socket on node B behind a real Redis.
/// Needs node and npm on PATH (fails, never skips, without them).</summary>
public sealed class AgentActionCableClientTests(ITestOutputHelper output)
{
    private static readonly string[] ExpectedChecks =
    [
        "profile.forCable",
        "agent.subscribe.confirmed",
        "agent.presence.onSubscribe",
        "agent.conversation.created",
        "agent.message.created.customer",
        "agent.privateNote",
        "agent.assignee.changed",
        "agent.conversation.status_changed",
        "agent.isolation.otherInbox",
        "agent.contactCredentials.never",
        "agent.revoked.disconnect",
        "agent.revoked.subscribeRejected",
    ];

    private const string Purpose = "/cable agent client test";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Official_actioncable_client_as_an_agent_on_one_node()
    {
        await using var server = await ChatServer.StartAsync();
        await RunScriptAsync(server, server);
    }

    [Fact, Trait("Store", "SharedDatabase")] // two nodes on one database: not on LiteDB (one process per file)
    public async Task Official_actioncable_client_as_an_agent_on_node_B_with_changes_made_on_node_A()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await RunScriptAsync(nodes.A, nodes.B);
    }

    private async Task RunScriptAsync(ChatServer customerNode, ChatServer agentNode)
    {
        var js = NodeScripts.JsFolder();
        await NodeScripts.EnsureInstalledAsync(js, ["@rails/actioncable", "ws"], Purpose, output.WriteLine);
        var run = await NodeScripts.RunAsync("node", ["cable-agent-test.mjs"], js, ScriptTimeout, Purpose, new Dictionary<string, string>
        {
            ["CABLE_CUSTOMER_URL"] = customerNode.BaseUrl.ToString().TrimEnd('/'),
            ["CABLE_AGENT_URL"] = agentNode.BaseUrl.ToString().TrimEnd('/'),
            ["CABLE_INBOX"] = customerNode.InboxIdentifier,
            ["CABLE_ADMIN_TOKEN"] = customerNode.AgentToken,
        });
        NodeScripts.AssertEveryCheckPassed(run, "cable-agent-test.mjs", ExpectedChecks, output.WriteLine);
    }
}
