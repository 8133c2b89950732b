using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Webhooks;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The server the labels tests share: webhooks to loopback, quick retries, a snooze sweep every second.</summary>
public sealed class LabelsServer : SharedServer
{
    protected override IDictionary<string, string?>? Settings =>
        new Dictionary<string, string?>(WebhookTestApi.FastRetries()) { ["Limits:SnoozeSweepInterval"] = "00:00:01" };
}

/// <summary>Labels, priority and snooze on Chatwoot's application API, over real HTTP on a shared server, one test per
/// route: the mapping of each (its body, its answer's shape, its events); the rules are the use-case tests'
/// (UseCases/Labels, ConversationLabelsTests, SnoozeTests).</summary>
public sealed class LabelsApiTests(LabelsServer shared) : IClassFixture<LabelsServer>
{
    private const string Account = "/api/v1/accounts/1";
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
    private static readonly string[] LabelShape = ["id", "title", "description", "color", "show_on_sidebar"];

    private async Task<JsonElement> CreateLabelAsync(HttpClient admin, object body)
    {
        var response = await admin.PostJson($"{Account}/labels", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonBody();
    }

    [Fact]
    public async Task Post_labels_creates_a_label_from_a_flat_or_nested_body_and_refuses_a_taken_title()
    {
        using var admin = shared.Server.AdminHttp();
        var title = Unique("VIP");

        var label = await CreateLabelAsync(admin, new { title, description = "Important", color = "#ff0000", show_on_sidebar = true });
        AssertFields(label, LabelShape);
        Assert.Equal((title.ToLowerInvariant(), "Important", "#ff0000", true), (label.GetProperty("title").GetString(),
            label.GetProperty("description").GetString(), label.GetProperty("color").GetString(), label.GetProperty("show_on_sidebar").GetBoolean()));
        var nested = await CreateLabelAsync(admin, new { label = new { title = Unique("nested") } });
        Assert.Equal(("#1f93ff", false), (nested.GetProperty("color").GetString(), nested.GetProperty("show_on_sidebar").GetBoolean()));

        var taken = await admin.PostJson($"{Account}/labels", new { title = title.ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.True((await taken.Problem()).GetProperty("errors").TryGetProperty("title", out _));
        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Grace")).AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson($"{Account}/labels", new { title = Unique("mine") })).StatusCode);
    }

    [Fact]
    public async Task Get_labels_lists_every_label_under_payload_by_title_to_any_agent()
    {
        using var admin = shared.Server.AdminHttp();
        var (b, a) = (Unique("b"), Unique("a"));
        await CreateLabelAsync(admin, new { title = b });
        await CreateLabelAsync(admin, new { title = a });
        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Grace")).AccessToken!);

        var payload = (await (await agent.GetAsync($"{Account}/labels")).JsonBody()).GetProperty("payload").EnumerateArray().ToList();
        foreach (var label in payload) AssertFields(label, LabelShape);
        var titles = payload.Select(l => l.GetProperty("title").GetString()!).ToList();
        Assert.Equal(titles.Order(StringComparer.Ordinal), titles);
        Assert.Contains(a, titles);
        Assert.Contains(b, titles);
    }

    [Fact]
    public async Task Patch_and_put_labels_change_only_what_they_name()
    {
        using var admin = shared.Server.AdminHttp();
        var label = await CreateLabelAsync(admin, new { title = Unique("old"), description = "Kept", color = "#123456" });
        var path = $"{Account}/labels/{label.GetProperty("id").GetInt64()}";
        var renamed = Unique("new");

        var patched = await (await admin.PatchJson(path, new { title = renamed, show_on_sidebar = true })).JsonBody();
        Assert.Equal((renamed, "Kept", "#123456", true), (patched.GetProperty("title").GetString(), patched.GetProperty("description").GetString(),
            patched.GetProperty("color").GetString(), patched.GetProperty("show_on_sidebar").GetBoolean()));
        var put = await (await admin.PutAsync(path, RawJson("""{"label": {"color": "#abcdef"}}"""))).JsonBody();
        Assert.Equal((renamed, "#abcdef"), (put.GetProperty("title").GetString(), put.GetProperty("color").GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PatchJson(path, new { color = "blue" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchJson($"{Account}/labels/999999", new { color = "#000000" })).StatusCode);
    }

    [Fact]
    public async Task Delete_labels_removes_a_label()
    {
        using var admin = shared.Server.AdminHttp();
        var label = await CreateLabelAsync(admin, new { title = Unique("gone") });
        var path = $"{Account}/labels/{label.GetProperty("id").GetInt64()}";

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync(path)).StatusCode);
        var ids = (await (await admin.GetAsync($"{Account}/labels")).JsonBody()).GetProperty("payload").EnumerateArray().Select(l => l.GetProperty("id").GetInt64());
        Assert.DoesNotContain(label.GetProperty("id").GetInt64(), ids);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Post_conversation_labels_sets_them_get_reads_them_and_a_webhook_hears_conversation_updated()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        await using var receiver = await WebhookReceiver.StartAsync();
        await admin.CreateWebhookAsync(receiver.Url, "conversation_updated");
        var (vip, billing) = (Unique("vip"), Unique("billing"));
        await CreateLabelAsync(admin, new { title = vip });
        await CreateLabelAsync(admin, new { title = billing });
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        var path = $"{Account}/conversations/{conversation.Id}/labels";

        var set = await (await admin.PostJson(path, new { labels = new[] { vip.ToUpperInvariant(), billing, "not-a-label" } })).JsonBody();
        string[] expected = [.. new[] { vip, billing }.Order(StringComparer.Ordinal)];
        Assert.Equal(expected, set.GetProperty("payload").EnumerateArray().Select(t => t.GetString()));
        var read = await (await admin.GetAsync(path)).JsonBody();
        Assert.Equal(expected, read.GetProperty("payload").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(expected, (await admin.ConversationAsAgent(conversation.Id)).Labels);

        var updated = await receiver.WaitForAsync(d => d.Event == "conversation_updated" && d.Json.GetProperty("id").GetInt64() == conversation.Id,
            "conversation_updated");
        Assert.Equal(conversation.Id, updated.Json.GetProperty("id").GetInt64());
        // The customer sees no labels.
        Assert.Empty((await server.ConversationAsContact(contact, conversation.Id)).Labels);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostJson(path, new { labels = new[] { "two words" } })).StatusCode);
    }

    [Fact]
    public async Task Toggle_priority_answers_200_without_a_body_and_the_conversation_has_it()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var conversation = await server.StartConversation(await server.CreateContact("Ann"), "hello");
        var path = $"{Account}/conversations/{conversation.Id}/toggle_priority";

        var answer = await admin.PostJson(path, new { priority = "urgent" });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("", await answer.Content.ReadAsStringAsync());
        Assert.Equal("urgent", (await admin.ConversationAsAgent(conversation.Id)).Priority);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(path, RawJson("""{"priority": null}"""))).StatusCode);
        Assert.Null((await admin.ConversationAsAgent(conversation.Id)).Priority);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostJson(path, new { priority = "critical" })).StatusCode);
    }

    [Fact]
    public async Task Toggle_status_snoozes_until_snoozed_until_and_the_servers_sweep_reopens_it_then()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        await using var receiver = await WebhookReceiver.StartAsync();
        await admin.CreateWebhookAsync(receiver.Url, "conversation_status_changed");
        var conversation = await server.StartConversation(await server.CreateContact("Ann"), "hello");
        var until = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds();

        var toggled = await (await admin.PostJson($"{Account}/conversations/{conversation.Id}/toggle_status",
            new { status = "snoozed", snoozed_until = until })).JsonBody();
        Assert.Equal("snoozed", toggled.GetProperty("payload").GetProperty("current_status").GetString());
        var snoozed = await admin.ConversationAsAgent(conversation.Id);
        Assert.Equal((ConversationStatuses.Snoozed, (long?)until), (snoozed.Status, snoozed.SnoozedUntil));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostJson($"{Account}/conversations/{conversation.Id}/toggle_status",
            new { status = "open", snoozed_until = until })).StatusCode);

        // The sweep (every second here) reopens it once its time has passed: a status change like any other.
        await receiver.WaitForAsync(d => d.Event == "conversation_status_changed" && d.Json.GetProperty("id").GetInt64() == conversation.Id
            && d.Json.GetProperty("status").GetString() == ConversationStatuses.Open, "the reopening");
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= until);
        var open = await admin.ConversationAsAgent(conversation.Id);
        Assert.Equal((ConversationStatuses.Open, (long?)null), (open.Status, open.SnoozedUntil));
        Assert.Contains(receiver.Received, d => d.Event == "conversation_status_changed" && d.Json.GetProperty("id").GetInt64() == conversation.Id
            && d.Json.GetProperty("status").GetString() == ConversationStatuses.Snoozed);
    }

    [Fact]
    public async Task Label_and_priority_changes_reach_the_agents_hub_but_never_the_customers_cable_or_hub()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var vip = Unique("vip");
        await CreateLabelAsync(admin, new { title = vip });
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        await using var agentHub = await HubSession.ConnectAsync(server, server.AgentToken);
        await using var customerHub = await HubSession.ConnectAsync(server, contact.PubsubToken);
        await using var cable = await RawCable.ConnectAsync(server);
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifier);
        await cable.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "confirm_subscription", "confirm_subscription");

        (await admin.PostJson($"{Account}/conversations/{conversation.Id}/labels", new { labels = new[] { vip } })).EnsureSuccessStatusCode();
        (await admin.PostJson($"{Account}/conversations/{conversation.Id}/toggle_priority", new { priority = "high" })).EnsureSuccessStatusCode();
        // The barrier: a reply the customer must receive, on both transports, after both changes.
        await admin.SendAsAgent(conversation.Id, "barrier");

        await agentHub.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Id == conversation.Id && u.Conversation.Labels.Contains(vip));
        await agentHub.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Id == conversation.Id && u.Conversation.Priority == "high");
        await cable.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("content").GetString() == "barrier");
        await customerHub.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "barrier");
        Assert.DoesNotContain(cable.Frames, f => f.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
            && m.GetProperty("event").GetString() == "conversation.updated");
        Assert.Empty(customerHub.Pushes.All<Pushed.ConversationUpdated>());
    }
}
