using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The client API's answers in the shapes Chatwoot's views render (app/views/public/api/v1/models/*), so
/// Chatwoot's own clients (the web widget, the Flutter SDK, client-api-demo) read them; over real HTTP.</summary>
public sealed class ChatwootShapeTests
{
    private static readonly string[] ContactPushFields =
        ["id", "name", "email", "phone_number", "identifier", "thumbnail", "custom_attributes", "additional_attributes", "type"];

    private static readonly string[] UserPushFields =
        ["id", "name", "available_name", "avatar_url", "type", "availability_status", "thumbnail"];

    [Fact]
    public async Task Conversation_carries_its_contact_and_integer_seen_markers()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann", new { name = "Ann", email = "ann@example.com", identifier = "ann-1" });
        var started = await server.StartConversation(contact, "hello");

        var json = await (await server.Http.GetAsync(server.ConversationPath(contact, started.Id))).JsonBody();
        AssertFields(json, [.. ConversationFields, "contact", "timestamp"]);
        Assert.Equal(0, json.GetProperty("contact_last_seen_at").GetInt64()); // never seen: 0, not null
        Assert.Equal(0, json.GetProperty("agent_last_seen_at").GetInt64());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("custom_attributes").ValueKind); // {} when empty
        var owner = json.GetProperty("contact");
        AssertFields(owner, ContactPushFields);
        Assert.Equal(contact.Id, owner.GetProperty("id").GetInt64());
        Assert.Equal("Ann", owner.GetProperty("name").GetString());
        Assert.Equal("ann@example.com", owner.GetProperty("email").GetString());
        Assert.Equal("ann-1", owner.GetProperty("identifier").GetString());
        Assert.Equal("contact", owner.GetProperty("type").GetString());
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
        await using var server = await ChatServer.StartAsync();
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
                "seq", "echo_id", "status");
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
    public async Task A_contact_without_a_name_gets_a_generated_one_that_everyone_sees()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact(extra: new { email = "anon@example.com" });
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{4}$", contact.Name);
        Assert.Equal(contact.Name, (await server.Http.GetRead<ContactDto>(server.ContactPath(contact))).Name);

        var conversation = await server.StartConversation(contact, "hello");
        using var admin = server.AdminHttp();
        var seen = await admin.ConversationAsAgent(conversation.Id);
        Assert.Equal(contact.Name, seen.Messages.Single().Sender!.Name);

        // A later name replaces it; an empty one does not blank it.
        var named = await (await server.Http.PatchJson(server.ContactPath(contact), new { name = "Zoe" })).Read<ContactDto>();
        Assert.Equal("Zoe", named.Name);
        var blank = await (await server.Http.PatchJson(server.ContactPath(contact), new { name = "" })).Read<ContactDto>();
        Assert.Equal("Zoe", blank.Name);
    }

    [Fact]
    public async Task Create_contact_honours_a_free_client_chosen_source_id_and_never_hands_out_a_taken_one()
    {
        await using var server = await ChatServer.StartAsync();
        var chosen = await server.CreateContact(extra: new { name = "Ann", source_id = "device-42.ann@shop" });
        Assert.Equal("device-42.ann@shop", chosen.SourceId);
        Assert.Equal("Ann", (await server.Http.GetRead<ContactDto>($"{server.ClientApi}/contacts/device-42.ann@shop")).Name);

        // Taken: a new contact with a new source_id, never the first one's.
        var second = await server.CreateContact(extra: new { name = "Mallory", source_id = "device-42.ann@shop" });
        Assert.NotEqual(chosen.Id, second.Id);
        Assert.NotEqual("device-42.ann@shop", second.SourceId);
        Assert.NotEqual(chosen.PubsubToken, second.PubsubToken);
        Assert.Equal("Ann", (await server.Http.GetRead<ContactDto>($"{server.ClientApi}/contacts/device-42.ann@shop")).Name);

        // Free in another inbox: the same source_id names another contact there.
        var other = await server.CreateInbox("Other");
        var there = await server.CreateContactIn(other.Identifier, new { source_id = "device-42.ann@shop" });
        Assert.Equal("device-42.ann@shop", there.SourceId);
        Assert.NotEqual(chosen.Id, there.Id);

        // Path-safe characters only.
        foreach (var bad in new[] { "", "has space", "a/b", "x?y" })
            await (await server.Http.PostJson($"{server.ClientApi}/contacts", new { source_id = bad })).AssertValidation("source_id");
    }

    [Fact]
    public async Task A_chosen_source_id_of_64_characters_is_taken_and_found_and_one_of_65_is_refused_at_creation()
    {
        // Creation once took up to 128 while every lookup stopped at 64: a contact made with 65 was never found again.
        await using var server = await ChatServer.StartAsync();
        var longest = "L" + new string('6', 62) + "4";
        var contact = await server.CreateContact(extra: new { name = "Long", source_id = longest });
        Assert.Equal(longest, contact.SourceId);
        Assert.Equal("Long", (await server.Http.GetRead<ContactDto>($"{server.ClientApi}/contacts/{longest}")).Name);
        var conversation = await server.StartConversation(contact, "found by its source_id");
        Assert.Equal("found by its source_id", Assert.Single(await server.MessagesAsContact(contact, conversation.Id)).Content);

        var tooLong = longest + "5";
        var refused = await (await server.Http.PostJson($"{server.ClientApi}/contacts", new { name = "Longer", source_id = tooLong })).AssertValidation("source_id");
        Assert.Contains("1 to 64", refused.GetProperty("errors").GetProperty("source_id")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"{server.ClientApi}/contacts/{tooLong}")).StatusCode);
    }

    [Fact]
    public async Task Create_contact_stores_its_avatar_url()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact(extra: new { name = "Ann", avatar_url = "https://example.com/ann.png" });
        Assert.Equal("https://example.com/ann.png", contact.AvatarUrl);
        Assert.Equal("https://example.com/ann.png", (await server.Http.GetRead<ContactDto>(server.ContactPath(contact))).AvatarUrl);
        await (await server.Http.PostJson($"{server.ClientApi}/contacts", new { avatar_url = "javascript:alert(1)" })).AssertValidation("avatar_url");
    }

    [Fact]
    public async Task Toggle_typing_reads_typing_status_from_the_query_or_the_body_and_recording_is_typing()
    {
        await using var scene = await ChatScene.StartAsync();
        var server = scene.Server;
        var conversation = await scene.StartConversation("hello");
        var path = $"{server.ConversationPath(scene.Contact, conversation.Id)}/toggle_typing";

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"{path}?typing_status=on", null)).StatusCode);
        await scene.Agent.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id && t.IsTyping);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJson(path, new { typing_status = "off" })).StatusCode);
        await scene.Agent.Pushes.WaitFor<TypingEvent>(t => t.ConversationId == conversation.Id && !t.IsTyping);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJson(path, new { typing_status = "recording" })).StatusCode);
        await scene.Agent.Pushes.WaitForCount<TypingEvent>(2, t => t.ConversationId == conversation.Id && t.IsTyping);

        await (await server.Http.PostAsync($"{path}?typing_status=maybe", null)).AssertValidation("typing_status");
        await (await server.Http.PostAsync(path, null)).AssertValidation("typing_status");
    }

    [Fact]
    public async Task The_customers_messages_never_include_private_notes_or_activity_messages()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        using var admin = server.AdminHttp();
        await admin.SendAsAgent(conversation.Id, "a note", isPrivate: true);
        (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/assignments", new { assignee_id = 1 })).EnsureSuccessStatusCode();
        (await admin.PostJson($"{AgentConversationPath(conversation.Id)}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();
        await admin.SendAsAgent(conversation.Id, "bye");
        Assert.Contains(await admin.MessagesAsAgent(conversation.Id), m => m.MessageType == MessageTypes.Activity); // agents have them

        var listed = await server.MessagesAsContact(contact, conversation.Id);
        Assert.Equal(["hello", "bye"], listed.Select(m => m.Content));
        var shown = await server.ConversationAsContact(contact, conversation.Id);
        Assert.Equal(["hello", "bye"], shown.Messages.Select(m => m.Content));
        Assert.DoesNotContain(shown.Messages, m => m.Private || m.MessageType == MessageTypes.Activity);
    }

    [Fact]
    public async Task Inbox_has_csat_survey_enabled()
    {
        await using var server = await ChatServer.StartAsync();
        var json = await (await server.Http.GetAsync(server.ClientApi)).JsonBody();
        AssertFields(json, [.. InboxFields, "csat_survey_enabled"]);
        Assert.False(json.GetProperty("csat_survey_enabled").GetBoolean());
    }
}
