using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Chatwoot's application API for agents and bots (/api/v1/accounts/1/..., api_access_token), over real
/// HTTP: the same use cases as ChatHub's own agent API, answered in Chatwoot's shapes.</summary>
public sealed class ApplicationApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Account = "/api/v1/accounts/1";

    private static string ConversationPath(long id) => $"{Account}/conversations/{id}";

    [Fact]
    public async Task Conversation_list_has_chatwoots_meta_counts_and_payload()
    {
        var server = shared.Server;
        var bob = await server.CreateAgent("Bob", inboxId: null);
        var inbox = await server.CreateInbox("Counted"); // the administrator is a member: its counts are this test's alone
        using var admin = server.AdminHttp();
        (await admin.PostJson($"/api/v1/inboxes/{inbox.Id}/members", new { agent_ids = new[] { bob.Id } })).EnsureSuccessStatusCode();
        var conversations = new List<ConversationDto>();
        for (var i = 0; i < 4; i++)
        {
            var contact = await server.CreateContactIn(inbox.Identifier, new { name = $"C{i}" });
            conversations.Add(await server.Http.PostRead<ConversationDto>(
                $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations", new { message = new { content = "hello" } }));
        }
        (await admin.PostJson($"{ConversationPath(conversations[0].Id)}/assignments", new { assignee_id = 1 })).EnsureSuccessStatusCode();
        (await admin.PostJson($"{ConversationPath(conversations[1].Id)}/assignments", new { assignee_id = bob.Id })).EnsureSuccessStatusCode();
        (await admin.PostJson($"{ConversationPath(conversations[3].Id)}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();

        var json = await (await admin.GetAsync($"{Account}/conversations?inbox_id={inbox.Id}")).JsonBody();
        var meta = json.GetProperty("data").GetProperty("meta");
        Assert.Equal(1, meta.GetProperty("mine_count").GetInt32());
        Assert.Equal(2, meta.GetProperty("assigned_count").GetInt32());
        Assert.Equal(1, meta.GetProperty("unassigned_count").GetInt32());
        Assert.Equal(3, meta.GetProperty("all_count").GetInt32()); // open by default, as Chatwoot
        var payload = json.GetProperty("data").GetProperty("payload").EnumerateArray().ToList();
        Assert.Equal(3, payload.Count);
        foreach (var c in payload)
        {
            AssertFields(c, [.. ConversationFields, "account_id", "meta"]);
            Assert.Equal(1, c.GetProperty("account_id").GetInt64());
            Assert.Equal("contact", c.GetProperty("meta").GetProperty("sender").GetProperty("type").GetString());
        }

        var mine = await (await admin.GetAsync($"{Account}/conversations?assignee_type=me&status=all&inbox_id={inbox.Id}")).JsonBody();
        Assert.Equal([conversations[0].Id], mine.GetProperty("data").GetProperty("payload").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal(4, mine.GetProperty("data").GetProperty("meta").GetProperty("all_count").GetInt32());
    }

    [Fact]
    public async Task Show_answers_the_conversation_with_its_contact_and_messages()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        using var admin = server.AdminHttp();

        var json = await (await admin.GetAsync(ConversationPath(conversation.Id))).JsonBody();
        Assert.Equal(conversation.Id, json.GetProperty("id").GetInt64());
        Assert.Equal(contact.Id, json.GetProperty("meta").GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal("Ann", json.GetProperty("meta").GetProperty("sender").GetProperty("name").GetString());
        Assert.Equal(0, json.GetProperty("agent_last_seen_at").GetInt64());
        Assert.Equal("hello", json.GetProperty("messages").EnumerateArray().Single().GetProperty("content").GetString());
    }

    [Fact]
    public async Task Messages_are_listed_and_created_as_chatwoot_does()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        using var admin = server.AdminHttp();
        var path = $"{ConversationPath(conversation.Id)}/messages";

        var reply = await (await admin.PostJson(path, new { content = "hi", message_type = "outgoing" })).JsonBody();
        Assert.Equal(MessageTypes.Outgoing, reply.GetProperty("message_type").GetInt32());
        Assert.Equal("user", reply.GetProperty("sender").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Object, reply.GetProperty("content_attributes").ValueKind);
        var plain = await (await admin.PostJson(path, new { content = "no type" })).JsonBody(); // omitted: outgoing
        Assert.Equal(MessageTypes.Outgoing, plain.GetProperty("message_type").GetInt32());
        var note = await (await admin.PostJson(path, new { content = "a note", @private = true })).JsonBody();
        Assert.True(note.GetProperty("private").GetBoolean());
        var choice = await (await admin.PostJson(path, new
        {
            content = "Pick one", content_type = "input_select",
            content_attributes = new { items = new[] { new { title = "A", value = "a" } } },
        })).JsonBody();
        Assert.Equal("input_select", choice.GetProperty("content_type").GetString());
        Assert.Equal("a", choice.GetProperty("content_attributes").GetProperty("items")[0].GetProperty("value").GetString());

        var refused = await (await admin.PostJson(path, new { content = "pretend", message_type = "incoming" })).AssertValidation("message_type");
        Assert.Contains("incoming", refused.GetProperty("detail").GetString());
        await (await admin.PostJson(path, new { content = "x", message_type = "sideways" })).AssertValidation("message_type");

        var list = await (await admin.GetAsync(path)).JsonBody();
        AssertFields(list.GetProperty("meta"), "labels", "additional_attributes", "contact_id", "contact");
        Assert.Equal(contact.Id, list.GetProperty("meta").GetProperty("contact_id").GetInt64());
        Assert.Equal(contact.Id, list.GetProperty("meta").GetProperty("contact").GetProperty("id").GetInt64());
        var contents = list.GetProperty("payload").EnumerateArray().Select(m => m.GetProperty("content").GetString()).ToList();
        Assert.Equal(["hello", "hi", "no type", "a note", "Pick one"], contents); // agents see their notes
        Assert.DoesNotContain("pretend", contents);
    }

    [Fact]
    public async Task Assignment_status_typing_and_last_seen_work_on_the_account_paths()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann");
        await using var customer = await HubSession.ConnectAsync(server, contact.PubsubToken);
        var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hello" } });
        using var admin = server.AdminHttp();
        var one = ConversationPath(conversation.Id);

        // The answer is the assignee (assignments_controller renders the _agent partial), not the conversation.
        var assigned = await (await admin.PostJson($"{one}/assignments", new { assignee_id = 1 })).JsonBody();
        Assert.Equal(1, assigned.GetProperty("id").GetInt64());
        Assert.Equal("administrator", assigned.GetProperty("role").GetString());
        var shown = await (await admin.GetAsync(one)).JsonBody();
        Assert.Equal(1, shown.GetProperty("assignee_id").GetInt64());
        Assert.Equal(1, shown.GetProperty("meta").GetProperty("assignee").GetProperty("id").GetInt64());
        Assert.False((await (await admin.GetAsync($"{Account}/conversations/{await OtherConversation(server)}")).JsonBody())
            .GetProperty("meta").TryGetProperty("assignee", out _), "no assignee: meta.assignee is left out, as the partial does");
        await (await admin.PostJson($"{one}/assignments", new { assignee_id = 999 })).AssertValidation("assignee_id");

        var toggled = await (await admin.PostJson($"{one}/toggle_status", new { status = "pending" })).JsonBody();
        Assert.Equal(JsonValueKind.Object, toggled.GetProperty("meta").ValueKind);
        Assert.True(toggled.GetProperty("payload").GetProperty("success").GetBoolean());
        Assert.Equal("pending", toggled.GetProperty("payload").GetProperty("current_status").GetString());
        Assert.Equal(conversation.Id, toggled.GetProperty("payload").GetProperty("conversation_id").GetInt64());
        var back = await (await admin.PostJson($"{one}/toggle_status", null)).JsonBody(); // no status: toggles, as Chatwoot
        Assert.Equal("resolved", back.GetProperty("payload").GetProperty("current_status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson($"{one}/toggle_typing_status", new { typing_status = "on" })).StatusCode);
        await customer.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id && t.IsTyping);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson($"{one}/toggle_typing_status", new { typing_status = "off" })).StatusCode);
        await customer.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id && !t.IsTyping);
        await (await admin.PostJson($"{one}/toggle_typing_status", new { typing_status = "sideways" })).AssertValidation("typing_status");

        var from = NowSeconds();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson($"{one}/update_last_seen", null)).StatusCode);
        var seen = await (await admin.GetAsync(one)).JsonBody();
        AssertUnixSeconds(seen.GetProperty("agent_last_seen_at").GetInt64(), from, NowSeconds());
    }

    private static async Task<long> OtherConversation(ChatServer server) =>
        (await server.StartConversation(await server.CreateContact("Other"), "hi")).Id;

    [Fact]
    public async Task Profile_is_the_agent_as_chatwoot_shows_it()
    {
        var server = shared.Server;
        using var admin = server.AdminHttp();
        var json = await (await admin.GetAsync($"{Account}/profile")).JsonBody();
        AssertFields(json, "id", "name", "available_name", "email", "avatar_url", "role", "availability_status", "account_id");
        Assert.Equal(1, json.GetProperty("id").GetInt64());
        Assert.Equal(1, json.GetProperty("account_id").GetInt64());
        Assert.Equal(server.AgentToken, json.GetProperty("access_token").GetString()); // the caller's own (ProfileShapeTests)
    }

    [Fact]
    public async Task Another_account_id_is_not_found_and_a_missing_token_is_unauthorized()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        using var admin = server.AdminHttp();
        foreach (var path in new[] { "/api/v1/accounts/2/conversations", $"/api/v1/accounts/7/conversations/{conversation.Id}", "/api/v1/accounts/0/profile" })
            await (await admin.GetAsync(path)).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await admin.PostJson($"/api/v1/accounts/2/conversations/{conversation.Id}/messages", new { content = "x" }))
            .AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Single(await admin.MessagesAsAgent(conversation.Id)); // nothing was sent through account 2

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync($"{Account}/conversations")).StatusCode);
    }
}
