using System.Net;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Chatwoot's campaigns on the application API (issue 27), over real HTTP on a shared server, on every store:
/// each route's body (flat or nested under <c>campaign</c>) and answer, who may call it (administrators write, agents
/// read), the validator's limits; the widget's public read (enabled campaigns of its inbox, no e-mail); and a
/// conversation started with a campaign id opens with the stored campaign's message, never one the customer wrote.</summary>
public sealed class CampaignsApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Path = "/api/v1/accounts/1/campaigns";

    private static object NewCampaign(long inboxId, string title, long? senderId = null, bool enabled = true, string url = "https://shop.example/pricing*") =>
        new { title, message = $"Questions about {title}?", inbox_id = inboxId, sender_id = senderId, enabled, trigger_rules = new { url, time_on_page = 3 } };

    private static async Task<JsonElement> CreateAsync(HttpClient admin, object body)
    {
        var response = await admin.PostJson(Path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonBody();
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Administrators_create_show_list_update_and_delete_a_campaign_in_chatwoots_shape()
    {
        using var admin = shared.Server.AdminHttp();
        var inbox = await shared.Server.CreateInbox("Campaigns " + Guid.NewGuid().ToString("N")[..6]);
        var sender = await shared.Server.CreateAgent("Sally", inboxId: inbox.Id);

        var created = await CreateAsync(admin, new { campaign = NewCampaign(inbox.Id, "Pricing", sender.Id) });
        var id = created.GetProperty("id").GetInt64();
        AssertFields(created, "id", "title", "description", "account_id", "inbox", "sender", "message", "campaign_status", "enabled",
            "campaign_type", "trigger_rules", "trigger_only_during_business_hours", "created_at", "updated_at");
        Assert.Equal(("Pricing", "Questions about Pricing?", true, "ongoing"), (created.GetProperty("title").GetString(),
            created.GetProperty("message").GetString(), created.GetProperty("enabled").GetBoolean(), created.GetProperty("campaign_type").GetString()));
        Assert.Equal(inbox.Id, created.GetProperty("inbox").GetProperty("id").GetInt64());
        Assert.Equal(sender.Id, created.GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal(("https://shop.example/pricing*", 3), (created.GetProperty("trigger_rules").GetProperty("url").GetString(),
            created.GetProperty("trigger_rules").GetProperty("time_on_page").GetInt32()));

        var flat = await CreateAsync(admin, new { title = "Flat", message = "Hi", inbox_id = inbox.Id, trigger_rules = new { url = "https://shop.example/" } });
        Assert.Equal(JsonValueKind.Null, flat.GetProperty("sender").ValueKind);
        Assert.Equal(10, flat.GetProperty("trigger_rules").GetProperty("time_on_page").GetInt32()); // Chatwoot's default

        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Reader")).AccessToken!);
        var list = await (await agent.GetAsync(Path)).JsonBody();
        var ids = list.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.True(ids.IndexOf(flat.GetProperty("id").GetInt64()) < ids.IndexOf(id), "newest first");
        Assert.Equal("Pricing", (await (await agent.GetAsync($"{Path}/{id}")).JsonBody()).GetProperty("title").GetString());

        var patched = await (await admin.PatchJson($"{Path}/{id}", new { enabled = false, sender_id = (long?)null, trigger_rules = new { time_on_page = "7" } })).JsonBody();
        Assert.False(patched.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("sender").ValueKind);
        Assert.Equal(("https://shop.example/pricing*", 7), (patched.GetProperty("trigger_rules").GetProperty("url").GetString(),
            patched.GetProperty("trigger_rules").GetProperty("time_on_page").GetInt32()));
        Assert.Equal("Questions about Pricing?", patched.GetProperty("message").GetString());
        Assert.Equal(created.GetProperty("created_at").GetString(), patched.GetProperty("created_at").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchJson($"{Path}/{id}", new { title = "x" })).StatusCode);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task An_agent_reads_campaigns_but_cannot_write_them()
    {
        using var admin = shared.Server.AdminHttp();
        var created = await CreateAsync(admin, NewCampaign(1, "Guarded"));
        var one = $"{Path}/{created.GetProperty("id").GetInt64()}";
        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Grace")).AccessToken!);

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync(one)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson(Path, NewCampaign(1, "Mine"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PatchJson(one, new { message = "Mine now" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync(one)).StatusCode);
        Assert.Equal("Questions about Guarded?", (await (await agent.GetAsync(one)).JsonBody()).GetProperty("message").GetString());
        using var anonymous = new HttpClient { BaseAddress = shared.Server.BaseUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Path)).StatusCode);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Bad_campaigns_are_refused_field_by_field()
    {
        using var admin = shared.Server.AdminHttp();
        object Body(string? title = "T", string? message = "M", long? inbox = 1, object? rules = null, long? sender = null) =>
            new { title, message, inbox_id = inbox, sender_id = sender, trigger_rules = rules ?? new { url = "https://shop.example/", time_on_page = 5 } };

        await (await admin.PostJson(Path, Body(title: null))).AssertValidation("title");
        await (await admin.PostJson(Path, Body(title: new string('t', 256)))).AssertValidation("title");
        await (await admin.PostJson(Path, Body(message: " "))).AssertValidation("message");
        await (await admin.PostJson(Path, Body(message: new string('m', 5001)))).AssertValidation("message");
        await (await admin.PostJson(Path, Body(inbox: null))).AssertValidation("inbox_id");
        await (await admin.PostJson(Path, Body(inbox: 999_999))).AssertValidation("inbox_id");
        await (await admin.PostJson(Path, Body(sender: 999_999))).AssertValidation("sender_id");
        await (await admin.PostJson(Path, Body(rules: new { time_on_page = 5 }))).AssertValidation("trigger_rules");
        await (await admin.PostJson(Path, Body(rules: new { url = "shop.example/x", time_on_page = 5 }))).AssertValidation("trigger_rules");
        await (await admin.PostJson(Path, Body(rules: new { url = "https://shop.example/" + new string('p', 2048), time_on_page = 5 }))).AssertValidation("trigger_rules");
        await (await admin.PostJson(Path, Body(rules: new { url = "https://shop.example/", time_on_page = -1 }))).AssertValidation("trigger_rules");
        await (await admin.PostJson(Path, Body(rules: new { url = "https://shop.example/", time_on_page = 3601 }))).AssertValidation("trigger_rules");
        await (await admin.PostJson(Path, Body(rules: new { url = "https://shop.example/", time_on_page = "soon" }))).AssertValidation("trigger_rules");
        var created = await CreateAsync(admin, Body());
        await (await admin.PatchJson($"{Path}/{created.GetProperty("id").GetInt64()}", new { inbox_id = 999 })).AssertValidation("inbox_id");
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task An_account_holds_at_most_MaxCampaigns()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Limits:MaxCampaigns"] = "2" });
        using var admin = server.AdminHttp();
        await CreateAsync(admin, NewCampaign(1, "One"));
        var two = await CreateAsync(admin, NewCampaign(1, "Two"));
        await (await admin.PostJson(Path, NewCampaign(1, "Three"))).AssertValidation("title");
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{Path}/{two.GetProperty("id").GetInt64()}")).StatusCode);
        await CreateAsync(admin, NewCampaign(1, "Three"));
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task The_widget_reads_its_inboxs_enabled_campaigns_with_the_senders_name_and_never_an_email()
    {
        using var admin = shared.Server.AdminHttp();
        var inbox = await shared.Server.CreateInbox("Widget campaigns " + Guid.NewGuid().ToString("N")[..6]);
        var sender = await shared.Server.CreateAgent("Sam Sender", inboxId: inbox.Id);
        var shown = await CreateAsync(admin, NewCampaign(inbox.Id, "Shown", sender.Id));
        await CreateAsync(admin, NewCampaign(inbox.Id, "Disabled", enabled: false));
        await CreateAsync(admin, NewCampaign(1, "Other inbox"));

        var response = await shared.Server.Http.GetAsync($"/public/api/v1/inboxes/{inbox.Identifier}/campaigns");
        var raw = await response.Content.ReadAsStringAsync();
        var list = JsonDocument.Parse(raw).RootElement.EnumerateArray().ToList();
        var only = Assert.Single(list);
        Assert.Equal(shown.GetProperty("id").GetInt64(), only.GetProperty("id").GetInt64());
        Assert.Equal("Questions about Shown?", only.GetProperty("message").GetString());
        Assert.Equal("https://shop.example/pricing*", only.GetProperty("trigger_rules").GetProperty("url").GetString());
        Assert.Equal("Sam Sender", only.GetProperty("sender").GetProperty("name").GetString());
        Assert.DoesNotContain("@", raw);
        Assert.DoesNotContain("title", raw);
        Assert.Equal(HttpStatusCode.NotFound, (await shared.Server.Http.GetAsync("/public/api/v1/inboxes/no-such-inbox/campaigns")).StatusCode);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task A_conversation_started_with_a_campaign_opens_with_its_message_from_its_sender_and_a_foreign_or_disabled_one_is_refused()
    {
        using var admin = shared.Server.AdminHttp();
        var inbox = await shared.Server.CreateInbox("Start " + Guid.NewGuid().ToString("N")[..6]);
        var sender = await shared.Server.CreateAgent("Sally", inboxId: inbox.Id);
        var campaign = await CreateAsync(admin, NewCampaign(inbox.Id, "Shoes", sender.Id));
        var disabled = await CreateAsync(admin, NewCampaign(inbox.Id, "Off", enabled: false));
        var foreign = await CreateAsync(admin, NewCampaign(1, "Elsewhere"));
        var contact = await shared.Server.CreateContactIn(inbox.Identifier, new { name = "Vera" });
        var start = $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations";

        await (await shared.Server.Http.PostJson(start, new { campaign_id = disabled.GetProperty("id").GetInt64(), message = new { content = "Hi" } })).AssertValidation("campaign_id");
        await (await shared.Server.Http.PostJson(start, new { campaign_id = foreign.GetProperty("id").GetInt64(), message = new { content = "Hi" } })).AssertValidation("campaign_id");
        await (await shared.Server.Http.PostJson(start, new { campaign_id = 999_999_999, message = new { content = "Hi" } })).AssertValidation("campaign_id");

        var started = await shared.Server.Http.PostJson(start, new { campaign_id = campaign.GetProperty("id").GetInt64(), message = new { content = "Yes, which size?" } });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var conversationId = (await started.JsonBody()).GetProperty("id").GetInt64();
        var messages = await admin.MessagesAsAgent(conversationId);
        Assert.Equal(["Questions about Shoes?", "Yes, which size?"], messages.Select(m => m.Content));
        Assert.Equal((Contracts.MessageTypes.Outgoing, sender.Id), (messages[0].MessageType, messages[0].Sender!.Id));
        Assert.Equal(Contracts.MessageTypes.Incoming, messages[1].MessageType);
        Assert.True(messages[0].Seq < messages[1].Seq);
        // A refused start left nothing behind: the contact has the one conversation.
        var own = await (await shared.Server.Http.GetAsync(start)).JsonBody();
        Assert.Single(own.EnumerateArray());
    }
}
