using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>API.md's agent API (/api/v1 with api_access_token) over real HTTP, one test per route: its status, its
/// answer's fields, and the arguments it hands its use case (the rules are the use cases', Server.Tests/UseCases).</summary>
public sealed class AgentApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ChatServer Server => shared.Server;

    [Fact]
    public async Task Profile_answers_the_agent_with_chathubs_fields_and_only_the_callers_own_access_token()
    {
        using var admin = Server.AdminHttp();
        var text = await admin.GetStringAsync("/api/v1/profile");
        var json = JsonDocument.Parse(text).RootElement;

        AssertFields(json, "id", "name", "email", "role", "availability", "chosen_availability", "active", "pubsub_token");
        Assert.Equal((1L, "administrator", "admin@example.com"),
            (json.GetProperty("id").GetInt64(), json.GetProperty("role").GetString(), json.GetProperty("email").GetString()));
        // Chatwoot's profile shows the caller the token it authenticated with (ProfileShapeTests): its own, nobody else's.
        Assert.Equal(Server.AgentToken, json.GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task Conversations_hands_over_status_inbox_assignee_and_page_and_answers_data_and_meta()
    {
        using var admin = Server.AdminHttp();
        var contact = await Server.CreateContact();
        var open = await Server.StartConversation(contact, "open one");
        var resolved = await Server.StartConversation(contact, "resolved one");
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(resolved.Id)}/toggle_status", new { status = "resolved" });
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(open.Id)}/assignments", new { assignee_id = 1 });

        var json = await (await admin.GetAsync("/api/v1/conversations?status=all&inbox_id=1&assignee=me&page=1")).JsonBody();
        AssertFields(json, "data", "meta");
        AssertFields(json.GetProperty("meta"), "count", "page");
        foreach (var c in json.GetProperty("data").EnumerateArray()) AssertFields(c, ConversationFields);
        Assert.Contains(open.Id, json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal(1, json.GetProperty("meta").GetProperty("page").GetInt32());

        var resolvedOnly = await admin.ListAsAgent("?status=resolved&assignee=unassigned");
        Assert.Contains(resolved.Id, resolvedOnly.Data.Select(c => c.Id));
        Assert.DoesNotContain(open.Id, resolvedOnly.Data.Select(c => c.Id));
        Assert.Empty((await admin.ListAsAgent("?page=1000")).Data);
        await (await admin.GetAsync("/api/v1/conversations?status=closed")).AssertValidation("status");
    }

    [Fact]
    public async Task Get_conversation_and_messages_answer_the_agent_view_and_hand_over_the_page_arguments()
    {
        using var admin = Server.AdminHttp();
        var contact = await Server.CreateContact("Judy");
        var conversation = await Server.StartConversation(contact, "m1");
        var sent = new List<MessageDto> { conversation.Messages[0] };
        for (var i = 2; i <= 12; i++) sent.Add(await Server.SendAsContact(contact, conversation.Id, $"m{i}"));

        var json = await (await admin.GetAsync(AgentConversationPath(conversation.Id))).JsonBody();
        AssertFields(json, [.. ConversationFields, "contact"]);
        Assert.Equal((contact.Id, 12), (json.GetProperty("contact_id").GetInt64(), json.GetProperty("messages").GetArrayLength()));
        Assert.Equal("", json.GetProperty("contact").GetProperty("pubsub_token").GetString()); // an agent never sees a contact's credentials

        var messages = await (await admin.GetAsync($"{AgentConversationPath(conversation.Id)}/messages")).JsonBody();
        foreach (var m in messages.EnumerateArray()) AssertFields(m, MessageFields);
        Assert.Equal(sent.Select(m => m.Id), messages.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal(sent.Skip(7).Take(3).Select(m => m.Id), (await admin.MessagesAsAgent(conversation.Id, $"?before={sent[10].Id}&limit=3")).Select(m => m.Id));
        Assert.Equal([11L, 12L], (await admin.MessagesAsAgent(conversation.Id, "?after_seq=10")).Select(m => m.Seq));
        await (await admin.GetAsync(AgentConversationPath(987_654))).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Post_messages_hands_over_every_field_and_answers_the_agents_message()
    {
        using var admin = Server.AdminHttp();
        var contact = await Server.CreateContact();
        var conversation = await Server.StartConversation(contact, "hi");

        var json = await (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/messages", new
        {
            content = "Pick one", echo_id = "a-1", content_type = "input_select", @private = false,
            content_attributes = new { items = new[] { new { title = "A", value = "a" } } },
        })).JsonBody();
        AssertFields(json, MessageFields);
        Assert.Equal((MessageTypes.Outgoing, 2L, false, "a-1", "input_select"), (json.GetProperty("message_type").GetInt32(), json.GetProperty("seq").GetInt64(),
            json.GetProperty("private").GetBoolean(), json.GetProperty("echo_id").GetString(), json.GetProperty("content_type").GetString()));
        Assert.Equal("a", json.GetProperty("content_attributes").GetProperty("items")[0].GetProperty("value").GetString());
        Assert.Equal((1L, "agent"), (json.GetProperty("sender").GetProperty("id").GetInt64(), json.GetProperty("sender").GetProperty("type").GetString()));

        var note = await admin.SendAsAgent(conversation.Id, "a private note", isPrivate: true);
        Assert.True(note.Private);
        Assert.Equal("Pick one", (await Server.MessagesAsContact(contact, conversation.Id)).Last().Content);
    }

    [Fact]
    public async Task Assignments_hands_over_the_assignee_or_null_and_answers_the_conversation()
    {
        using var admin = Server.AdminHttp();
        var kim = await Server.CreateAgent("Kim");
        var conversation = await Server.StartConversation(await Server.CreateContact(), "hi");
        var path = $"{AgentConversationPath(conversation.Id)}/assignments";

        var json = await (await admin.PostJson(path, new { assignee_id = kim.Id })).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal(kim.Id, json.GetProperty("assignee_id").GetInt64());
        Assert.Null((await admin.PostRead<ConversationDto>(path, new { assignee_id = (long?)null })).AssigneeId);
        await (await admin.PostJson(path, new { assignee_id = 999_999 })).AssertValidation("assignee_id");
    }

    [Fact]
    public async Task Toggle_status_sets_the_given_status_or_toggles_without_one()
    {
        using var admin = Server.AdminHttp();
        var conversation = await Server.StartConversation(await Server.CreateContact(), "hi");
        var path = $"{AgentConversationPath(conversation.Id)}/toggle_status";

        var json = await (await admin.PostJson(path, new { status = "pending" })).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal("pending", json.GetProperty("status").GetString());
        Assert.Equal("resolved", (await admin.PostRead<ConversationDto>(path, null)).Status); // no body: toggles
        Assert.Equal("open", (await admin.PostRead<ConversationDto>(path, new { })).Status);
        await (await admin.PostJson(path, new { status = "closed" })).AssertValidation("status");
    }

    [Fact]
    public async Task Toggle_typing_answers_200_for_on_and_off_and_a_validation_problem_otherwise()
    {
        using var admin = Server.AdminHttp();
        var conversation = await Server.StartConversation(await Server.CreateContact(), "hi");
        var path = $"{AgentConversationPath(conversation.Id)}/toggle_typing";

        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson(path, new { typing_status = "on" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson(path, new { typing_status = "off" })).StatusCode);
        await (await admin.PostJson(path, new { typing_status = "typing" })).AssertValidation("typing_status");
        await (await admin.PostJson(path, null)).AssertValidation("typing_status");
    }

    [Fact]
    public async Task Update_last_seen_answers_200_and_sets_the_agents_seen_marker()
    {
        using var admin = Server.AdminHttp();
        var contact = await Server.CreateContact();
        var conversation = await Server.StartConversation(contact, "anyone there?");

        var from = NowSeconds();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/update_last_seen", null)).StatusCode);
        var seen = await admin.ConversationAsAgent(conversation.Id);
        AssertUnixSeconds(seen.AgentLastSeenAt, from, NowSeconds());
        Assert.Equal("read", (await Server.MessagesAsContact(contact, conversation.Id)).Single().Status);
    }
}
