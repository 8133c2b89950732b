using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Chatwoot;

/// <summary>ChatHub driven by a Chatwoot SDK from npm that nobody here wrote (<c>@figuro/chatwoot-sdk</c>, on axios),
/// with only its base URL pointed at a real server on loopback: an integration's whole flow
/// (<c>Server.Tests/js/chatwoot-sdk-test.mjs</c>) through its client API and application API methods, /cable for the
/// contact and the agent through <c>@rails/actioncable</c> with the tokens the SDK's calls returned, and webhooks to a
/// real receiver the script runs on loopback. Every check the script names must have run and passed.
/// Needs node and npm on PATH (fails, never skips, without them).</summary>
public sealed class ChatwootSdkTests(ITestOutputHelper output)
{
    private static readonly string[] ExpectedChecks =
    [
        "sdk.webhooks.create",
        "sdk.webhooks.list",
        "sdk.profile",
        "sdk.agents.list",
        "sdk.inboxes.list+get",
        "sdk.inboxes.listAgents",
        "cable.agent.subscribed",
        "sdk.client.contacts.create",
        "sdk.client.contacts.get+update",
        "cable.contact.subscribed",
        "sdk.client.conversations.create (body-less)",
        "sdk.client.messages.create",
        "cable.contact.message.created.own",
        "cable.agent.conversation.created",
        "cable.agent.message.created",
        "sdk.contacts.search+get+listConversations",
        "sdk.conversations.list.unassigned",
        "sdk.messages.create.private",
        "sdk.messages.create.outgoing",
        "sdk.messages.create.attachment",
        "cable.contact.message.created.attachment",
        "cable.contact.message.created.reply",
        "cable.agent.message.created.private",
        "sdk.messages.list",
        "sdk.client.messages.list",
        "sdk.client.conversations.list",
        "sdk.conversationAssignment.assign",
        "cable.agent.assignee.changed",
        "sdk.conversations.list.assigned",
        "sdk.conversations.getMeta",
        "sdk.conversationLabels.add+list",
        "sdk.conversations.toggleStatus.resolved",
        "cable.contact.conversation.status_changed",
        "cable.agent.conversation.status_changed",
        "sdk.conversations.get",
        "sdk.conversations.toggleStatus.open",
        "sdk.conversations.create",
        "webhook.signed",
        "webhook.contact_created",
        "webhook.conversation_created",
        "webhook.message_created",
        "webhook.conversation_updated.assignee",
        "webhook.conversation_status_changed",
        "webhook.noCredentials",
        "sdk.webhooks.update",
        "sdk.webhooks.delete",
    ];

    private const string Purpose = "Chatwoot SDK test";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_third_party_Chatwoot_SDK_runs_an_integrations_flow_against_ChatHub()
    {
        // The script's webhook receiver listens on loopback, a private network a webhook may not reach by default.
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        var js = NodeScripts.JsFolder();
        await NodeScripts.EnsureInstalledAsync(js, ["@figuro/chatwoot-sdk", "@rails/actioncable", "ws"], Purpose, output.WriteLine);
        var run = await NodeScripts.RunAsync("node", ["chatwoot-sdk-test.mjs"], js, ScriptTimeout, Purpose, new Dictionary<string, string>
        {
            ["SDK_URL"] = server.BaseUrl.ToString().TrimEnd('/'),
            ["SDK_INBOX"] = server.InboxIdentifier,
            ["SDK_ADMIN_TOKEN"] = server.AgentToken,
        });
        NodeScripts.AssertEveryCheckPassed(run, "chatwoot-sdk-test.mjs", ExpectedChecks, output.WriteLine);
    }
}
