using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The client API's answers in the shapes Chatwoot's views render (app/views/public/api/v1/models/*), so
/// Chatwoot's own clients (the web widget, the Flutter SDK, client-api-demo) read them; over real HTTP.</summary>
public sealed class ChatwootShapeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly string[] ContactPushFields =
        ["id", "name", "email", "phone_number", "identifier", "thumbnail", "custom_attributes", "additional_attributes", "type"];

    private static readonly string[] UserPushFields =
        ["id", "name", "available_name", "avatar_url", "type", "availability_status", "thumbnail"];

    [Fact]
    public async Task Conversation_carries_its_contact_and_integer_seen_markers()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann", new { name = "Ann", email = "ann@example.com", identifier = "ann-1" });
        var started = await server.StartConversation(contact, "hello");

        var json = await (await server.Http.GetAsync(server.ConversationPath(contact, started.Id))).JsonBody();
        AssertFields(json, [.. ConversationFields, "contact", "timestamp"]);
        Assert.Equal(0, json.GetProperty("contact_last_seen_at").GetInt64()); // never seen: 0, not null
        Assert.Equal(0, json.GetProperty("agent_last_seen_at").GetInt64());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("custom_attributes").ValueKind); // {} when empty
        var owner = json.GetProperty("contact"); // the contact record (json.contact resource.contact), not push data
        AssertFields(owner, "id", "name", "email", "phone_number", "identifier", "account_id", "created_at", "updated_at",
            "custom_attributes", "additional_attributes");
        Assert.Equal(contact.Id, owner.GetProperty("id").GetInt64());
        Assert.Equal("Ann", owner.GetProperty("name").GetString());
        Assert.Equal("ann@example.com", owner.GetProperty("email").GetString());
        Assert.Equal("ann-1", owner.GetProperty("identifier").GetString());
        Assert.Equal(1, owner.GetProperty("account_id").GetInt64());
        Assert.False(owner.TryGetProperty("pubsub_token", out _), "the conversation's contact carries no credentials");

        // The list and the answer that starts a conversation have it too.
        var listed = (await (await server.Http.GetAsync($"{server.ContactPath(contact)}/conversations")).JsonBody()).EnumerateArray().Single();
        Assert.Equal(contact.Id, listed.GetProperty("contact").GetProperty("id").GetInt64());
        var second = await (await server.Http.PostJson($"{server.ContactPath(contact)}/conversations", new { })).JsonBody();
        Assert.Equal(contact.Id, second.GetProperty("contact").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Message_senders_are_chatwoot_push_data_of_a_contact_or_a_user()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann", new
        {
            name = "Ann", email = "ann@example.com", phone_number = "+15550100", identifier = "ann-1",
            avatar_url = "https://example.com/ann.png", custom_attributes = new { plan = "pro" },
        });
        var conversation = await server.StartConversation(contact, "hello");
        using var admin = server.AdminHttp();
        await admin.SendAsAgent(conversation.Id, "hi Ann");

        var messages = (await (await server.Http.GetAsync($"{server.ConversationPath(contact, conversation.Id)}/messages")).JsonBody())
            .EnumerateArray().ToList();
        Assert.Equal(2, messages.Count);
        foreach (var m in messages)
        {
            AssertFields(m, "id", "content", "message_type", "content_type", "content_attributes", "created_at", "conversation_id", "sender",
                "seq", "status");
            Assert.Equal(JsonValueKind.Object, m.GetProperty("content_attributes").ValueKind); // {} when empty
        }

        var mine = messages[0].GetProperty("sender");
        AssertFields(mine, ContactPushFields);
        Assert.Equal("contact", mine.GetProperty("type").GetString());
        Assert.Equal("Ann", mine.GetProperty("name").GetString());
        Assert.Equal("+15550100", mine.GetProperty("phone_number").GetString());
        Assert.Equal("https://example.com/ann.png", mine.GetProperty("thumbnail").GetString());
        Assert.Equal("pro", mine.GetProperty("custom_attributes").GetProperty("plan").GetString());
        Assert.Equal(JsonValueKind.Object, mine.GetProperty("additional_attributes").ValueKind);
        Assert.Equal("Contact", messages[0].GetProperty("sender_type").GetString());

        var reply = messages[1].GetProperty("sender");
        AssertFields(reply, UserPushFields);
        Assert.Equal("user", reply.GetProperty("type").GetString()); // Chatwoot calls an agent a user
        Assert.Equal(1, reply.GetProperty("id").GetInt64());
        Assert.Equal(reply.GetProperty("name").GetString(), reply.GetProperty("available_name").GetString());
        Assert.Contains(reply.GetProperty("availability_status").GetString(), Availabilities.All);
        Assert.False(reply.TryGetProperty("email", out _), "an agent's e-mail is not in its push data");
        Assert.Equal("User", messages[1].GetProperty("sender_type").GetString());

        // The answer to a send has the same shape.
        var sent = await (await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages", new { content = "more" })).JsonBody();
        Assert.Equal("contact", sent.GetProperty("sender").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Object, sent.GetProperty("content_attributes").ValueKind);
    }

    [Fact]
    public async Task Toggle_typing_reads_typing_status_from_the_query_or_the_body_and_recording_is_typing()
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        var path = $"{server.ConversationPath(contact, conversation.Id)}/toggle_typing";

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"{path}?typing_status=on", null)).StatusCode);
        await agent.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id && t.IsTyping);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJson(path, new { typing_status = "off" })).StatusCode);
        await agent.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id && !t.IsTyping);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJson(path, new { typing_status = "recording" })).StatusCode);
        await agent.Pushes.WaitForCount<TypingEvent>(2, t => t.ConversationId == conversation.Id && t.IsTyping);

        await (await server.Http.PostAsync($"{path}?typing_status=maybe", null)).AssertValidation("typing_status");
        await (await server.Http.PostAsync(path, null)).AssertValidation("typing_status");
    }
}
