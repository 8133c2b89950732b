using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>What the console's labels need of the hub (issue 25), over real connections on every store: ListConversations
/// filters by label (ListConversationsRequest.Labels, as the application API's labels[]), and another agent's
/// connection hears a label change as ConversationUpdated carrying the conversation's labels, as an agent's /cable
/// hears conversation.updated with them (Chatwoot's push data; changed_attributes are the webhooks').</summary>
public sealed class ConsoleLabelsHubTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<ConversationDto> ConversationInAsync(InboxAdminDto inbox, string name)
    {
        var contact = await shared.Server.CreateContactIn(inbox.Identifier, new { name });
        return await shared.Server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations", new { message = new { content = "hello" } });
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task The_hubs_list_filters_by_label_and_another_agent_hears_the_labels_change()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var inbox = await server.CreateInbox(Unique("Labels")); // the administrator is a member
        var bob = await server.CreateAgent("Bob", inboxId: inbox.Id);
        var (vip, billing) = (Unique("vip"), Unique("billing"));
        foreach (var title in new[] { vip, billing })
            (await admin.PostJson($"{Account}/labels", new { title, color = "#ff0000" })).EnsureSuccessStatusCode();
        var tagged = await ConversationInAsync(inbox, "Tagged");
        var other = await ConversationInAsync(inbox, "Other");
        await using var bobHub = await HubSession.ConnectAsync(server, bob.AccessToken!);
        await using var adminHub = await HubSession.ConnectAsync(server, server.AgentToken);

        (await admin.PostJson($"{Account}/conversations/{tagged.Id}/labels", new { labels = new[] { vip } })).EnsureSuccessStatusCode();
        var heard = await bobHub.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Id == tagged.Id && u.Conversation.Labels.Count > 0);
        Assert.Equal([vip], heard.Conversation.Labels);

        // Any of the titles, in any case; a label no conversation carries lists none; no label lists both.
        var listed = await adminHub.Hub.ListConversationsAsync(new ListConversationsRequest { InboxId = inbox.Id, Labels = [vip.ToUpperInvariant(), billing] });
        Assert.Equal([tagged.Id], listed.Select(c => c.Id));
        Assert.Equal([vip], listed.Single().Labels);
        Assert.Empty(await bobHub.Hub.ListConversationsAsync(new ListConversationsRequest { InboxId = inbox.Id, Labels = [billing] }));
        var all = await bobHub.Hub.ListConversationsAsync(new ListConversationsRequest { InboxId = inbox.Id });
        Assert.Equal(new[] { tagged.Id, other.Id }.Order(), all.Select(c => c.Id).Order());

        // Removing it: heard too, and the filtered list is empty again.
        (await admin.PostJson($"{Account}/conversations/{tagged.Id}/labels", new { labels = Array.Empty<string>() })).EnsureSuccessStatusCode();
        await bobHub.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Id == tagged.Id && u.Conversation.Labels.Count == 0);
        Assert.Empty(await bobHub.Hub.ListConversationsAsync(new ListConversationsRequest { InboxId = inbox.Id, Labels = [vip] }));
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task A_label_filter_that_is_not_titles_is_a_coded_error()
    {
        await using var agent = await HubSession.ConnectAsync(shared.Server, shared.Server.AgentToken);
        var tooMany = Enumerable.Range(0, 1000).Select(i => (string?)$"l{i}").ToList();
        IReadOnlyList<string?>[] refused = [["two words"], [""], tooMany];
        foreach (var labels in refused)
        {
            var error = await Assert.ThrowsAsync<ChatHubException>(() => agent.Hub.ListConversationsAsync(new ListConversationsRequest { Labels = labels }));
            Assert.Equal(ErrorCodes.Validation, error.Code);
            Assert.Contains("labels", error.Message);
        }
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task An_agents_cable_hears_conversation_updated_with_the_labels()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var vip = Unique("vip");
        (await admin.PostJson($"{Account}/labels", new { title = vip })).EnsureSuccessStatusCode();
        var conversation = await server.StartConversation(await server.CreateContact("Ann"), "hello");
        var (cable, identifier) = await RawCable.SubscribeAgentAsync(server, server.AgentToken);
        await using var _ = cable;

        (await admin.PostJson($"{Account}/conversations/{conversation.Id}/labels", new { labels = new[] { vip } })).EnsureSuccessStatusCode();
        var updated = (await cable.WaitForBroadcast(identifier, "conversation.updated",
            d => d.GetProperty("id").GetInt64() == conversation.Id && d.GetProperty("labels").GetArrayLength() > 0)).GetProperty("message").GetProperty("data");
        Assert.Equal([vip], updated.GetProperty("labels").EnumerateArray().Select(t => t.GetString()));
    }
}
