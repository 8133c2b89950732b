using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Every row of API.md's "REST: client API" table over real HTTP, one test per route: its status, its answer's
/// fields in snake_case, and the arguments it hands its use case. The rules behind each route are the use cases' own
/// (Server.Tests/UseCases); every answer's schema is checked against the OpenAPI document (Operations/OpenApiTests).</summary>
public sealed class ClientApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ChatServer Server => shared.Server;

    [Fact]
    public async Task Get_inbox_answers_the_public_inbox_in_snake_case_without_its_secret()
    {
        var json = await (await Server.Http.GetAsync(Server.ClientApi)).JsonBody();

        AssertFields(json, [.. InboxFields, "csat_survey_enabled", "reply_time", "online", "max_attachment_bytes"]);
        Assert.Equal((Server.InboxIdentifier, "Website", "UTC"),
            (json.GetProperty("identifier").GetString(), json.GetProperty("name").GetString(), json.GetProperty("timezone").GetString()));
        Assert.Equal(JsonValueKind.Array, json.GetProperty("working_hours").ValueKind);
        Assert.False(json.GetProperty("identity_validation_enabled").GetBoolean());
        Assert.True(json.GetProperty("greeting_enabled").GetBoolean());
        Assert.False(json.GetProperty("csat_survey_enabled").GetBoolean());
        Assert.False(json.TryGetProperty("hmac_token", out _), "the public inbox must not show its HMAC secret");
        Assert.DoesNotContain(Server.HmacToken, json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_contacts_hands_every_field_to_the_use_case_and_answers_the_contact_with_its_credentials()
    {
        var response = await Server.Http.PostJson($"{Server.ClientApi}/contacts", new
        {
            identifier = "cust-42",
            identifier_hash = IdentifierHash(Server.HmacToken, "cust-42"),
            name = "Ann Smith",
            email = "ann@example.com",
            phone_number = "+44 20 7946 0958",
            avatar_url = "https://example.com/ann.png",
            source_id = $"device-{Guid.NewGuid():N}",
            custom_attributes = new { plan = "gold", seats = 3 },
        });
        var json = await response.JsonBody();

        AssertFields(json, [.. ContactFields, "avatar_url"]);
        Assert.True(json.GetProperty("id").GetInt64() > 0);
        Assert.StartsWith("device-", json.GetProperty("source_id").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("pubsub_token").GetString()));
        Assert.Equal(("Ann Smith", "ann@example.com", "+44 20 7946 0958", "cust-42", "https://example.com/ann.png"),
            (json.GetProperty("name").GetString(), json.GetProperty("email").GetString(), json.GetProperty("phone_number").GetString(),
             json.GetProperty("identifier").GetString(), json.GetProperty("avatar_url").GetString()));
        Assert.Equal("gold", json.GetProperty("custom_attributes").GetProperty("plan").GetString());
        Assert.Equal(3, json.GetProperty("custom_attributes").GetProperty("seats").GetInt32());
        Assert.True(json.GetProperty("hmac_verified").GetBoolean());

        // No body at all: an anonymous contact (with a generated name).
        var anonymous = await Server.Http.PostRead<ContactDto>($"{Server.ClientApi}/contacts", null);
        Assert.False(string.IsNullOrEmpty(anonymous.SourceId));
        Assert.False(string.IsNullOrEmpty(anonymous.Name));
        await (await Server.Http.PostJson($"{Server.ClientApi}/contacts", new { email = "not-an-email" })).AssertValidation("email");
    }

    [Fact]
    public async Task An_hmac_mandatory_inbox_answers_401_to_an_unsigned_contact_and_an_unsigned_identifier_change()
    {
        var inbox = await Server.CreateInbox("Secure", hmacMandatory: true);
        var contacts = $"/public/api/v1/inboxes/{inbox.Identifier}/contacts";
        await (await Server.Http.PostJson(contacts, new { identifier = "u-1" })).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        var contact = await Server.CreateContactIn(inbox.Identifier, new { identifier = "u-1", identifier_hash = IdentifierHash(inbox.HmacToken, "u-1") });
        Assert.True(contact.HmacVerified);
        await (await Server.Http.PatchJson($"{contacts}/{contact.SourceId}", new { identifier = "u-2" }))
            .AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        var moved = await (await Server.Http.PatchJson($"{contacts}/{contact.SourceId}", new { identifier = "u-2", identifier_hash = IdentifierHash(inbox.HmacToken, "u-2") }))
            .Read<ContactDto>();
        Assert.Equal(("u-2", true), (moved.Identifier, moved.HmacVerified));
    }

    [Fact]
    public async Task Get_contact_answers_the_contact_its_source_id_names()
    {
        var created = await Server.CreateContact("Bob");
        var json = await (await Server.Http.GetAsync(Server.ContactPath(created))).JsonBody();

        AssertFields(json, ContactFields);
        Assert.Equal((created.Id, created.SourceId, created.PubsubToken, "Bob"),
            (json.GetProperty("id").GetInt64(), json.GetProperty("source_id").GetString(), json.GetProperty("pubsub_token").GetString(),
             json.GetProperty("name").GetString()));
        await (await Server.Http.GetAsync($"{Server.ClientApi}/contacts/not-a-source-id")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Patch_contact_hands_the_given_fields_to_the_use_case()
    {
        var created = await Server.CreateContact("Carol", new { name = "Carol", custom_attributes = new { plan = "free" } });

        var updated = await (await Server.Http.PatchJson(Server.ContactPath(created), new
        {
            email = "carol@example.com", phone_number = "+15550100", custom_attributes = new { plan = "pro" },
        })).JsonBody();

        AssertFields(updated, ContactFields);
        Assert.Equal((created.Id, "Carol", "carol@example.com", "+15550100", "pro"),
            (updated.GetProperty("id").GetInt64(), updated.GetProperty("name").GetString(), updated.GetProperty("email").GetString(),
             updated.GetProperty("phone_number").GetString(), updated.GetProperty("custom_attributes").GetProperty("plan").GetString()));
        Assert.Equal("carol@example.com", (await Server.Http.GetRead<ContactDto>(Server.ContactPath(created))).Email);
    }

    [Fact]
    public async Task Post_conversations_hands_over_custom_attributes_and_the_first_message_and_answers_the_conversation()
    {
        var contact = await Server.CreateContact("Dan");
        var from = NowSeconds();
        var json = await (await Server.Http.PostJson($"{Server.ContactPath(contact)}/conversations", new
        {
            custom_attributes = new { page = "/pricing" },
            message = new { content = "Do you ship to Norway?", echo_id = "first-1" },
        })).JsonBody();
        var to = NowSeconds();

        AssertFields(json, [.. ConversationFields, "contact", "timestamp"]);
        Assert.Equal((1L, contact.Id, "open", 1L), (json.GetProperty("inbox_id").GetInt64(), json.GetProperty("contact_id").GetInt64(),
            json.GetProperty("status").GetString(), json.GetProperty("seq").GetInt64()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("assignee_id").ValueKind);
        Assert.Equal("/pricing", json.GetProperty("custom_attributes").GetProperty("page").GetString());
        Assert.Equal(0, json.GetProperty("contact_last_seen_at").GetInt64()); // never: 0, as Chatwoot
        Assert.Equal(0, json.GetProperty("agent_last_seen_at").GetInt64());
        AssertUnixSeconds(json.GetProperty("created_at").GetInt64(), from, to);
        AssertUnixSeconds(json.GetProperty("last_activity_at").GetInt64(), from, to);

        var message = Assert.Single(json.GetProperty("messages").EnumerateArray());
        AssertFields(message, ChatwootMessageFields);
        Assert.Equal((json.GetProperty("id").GetInt64(), 1L, MessageTypes.Incoming, "Do you ship to Norway?", "first-1"),
            (message.GetProperty("conversation_id").GetInt64(), message.GetProperty("seq").GetInt64(), message.GetProperty("message_type").GetInt32(),
             message.GetProperty("content").GetString(), message.GetProperty("echo_id").GetString()));
        Assert.Equal((contact.Id, "Dan", "contact"), (message.GetProperty("sender").GetProperty("id").GetInt64(),
            message.GetProperty("sender").GetProperty("name").GetString(), message.GetProperty("sender").GetProperty("type").GetString()));
        AssertUnixSeconds(message.GetProperty("created_at").GetInt64(), from, to);

        // An empty body starts a conversation without a message.
        var empty = await Server.Http.PostRead<ConversationDto>($"{Server.ContactPath(contact)}/conversations", new { });
        Assert.Empty(empty.Messages);
    }

    [Fact]
    public async Task Get_conversations_answers_the_contacts_own_as_a_list()
    {
        var ann = await Server.CreateContact("Ann");
        var first = await Server.StartConversation(ann, "one");
        var second = await Server.StartConversation(ann, "two");

        var json = await (await Server.Http.GetAsync($"{Server.ContactPath(ann)}/conversations")).JsonBody();
        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        foreach (var c in json.EnumerateArray()) AssertFields(c, ConversationFields);
        Assert.Equal([first.Id, second.Id], json.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).Order());
    }

    [Fact]
    public async Task Get_conversation_answers_it_with_its_newest_page_of_messages_oldest_first()
    {
        var contact = await Server.CreateContact();
        var conversation = await Server.StartConversation(contact, "m1");
        for (var i = 2; i <= 25; i++) await Server.SendAsContact(contact, conversation.Id, $"m{i}");

        var json = await (await Server.Http.GetAsync(Server.ConversationPath(contact, conversation.Id))).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal((conversation.Id, 25L), (json.GetProperty("id").GetInt64(), json.GetProperty("seq").GetInt64()));
        Assert.Equal(Enumerable.Range(6, 20).Select(i => (string?)$"m{i}"),
            json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task Post_messages_hands_over_content_and_echo_id_and_answers_the_stored_message()
    {
        var contact = await Server.CreateContact("Eve");
        var conversation = await Server.StartConversation(contact, "hi");
        var from = NowSeconds();
        var json = await (await Server.Http.PostJson($"{Server.ConversationPath(contact, conversation.Id)}/messages",
            new { content = "second", echo_id = "e-2" })).JsonBody();

        AssertFields(json, ChatwootMessageFields);
        Assert.Equal((conversation.Id, 2L, MessageTypes.Incoming, "second", "text", "e-2", "contact"),
            (json.GetProperty("conversation_id").GetInt64(), json.GetProperty("seq").GetInt64(), json.GetProperty("message_type").GetInt32(),
             json.GetProperty("content").GetString(), json.GetProperty("content_type").GetString(), json.GetProperty("echo_id").GetString(),
             json.GetProperty("sender").GetProperty("type").GetString()));
        AssertUnixSeconds(json.GetProperty("created_at").GetInt64(), from, NowSeconds());
        // A contact's private flag reaches the use case, which refuses it.
        await (await Server.Http.PostJson($"{Server.ConversationPath(contact, conversation.Id)}/messages", new { content = "psst", @private = true }))
            .AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Get_messages_hands_over_limit_before_and_after_seq_and_answers_a_list_oldest_first()
    {
        var contact = await Server.CreateContact();
        var conversation = await Server.StartConversation(contact, "m1");
        var sent = new List<MessageDto> { conversation.Messages[0] };
        for (var i = 2; i <= 8; i++) sent.Add(await Server.SendAsContact(contact, conversation.Id, $"m{i}"));

        var json = await (await Server.Http.GetAsync($"{Server.ConversationPath(contact, conversation.Id)}/messages")).JsonBody();
        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        foreach (var m in json.EnumerateArray()) AssertFields(m, ChatwootMessageFields);
        Assert.Equal(sent.Select(m => m.Id), json.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));

        Assert.Equal(sent.Skip(5).Select(m => m.Id), (await Server.MessagesAsContact(contact, conversation.Id, "?limit=3")).Select(m => m.Id));
        Assert.Equal(sent.Skip(1).Take(2).Select(m => m.Id),
            (await Server.MessagesAsContact(contact, conversation.Id, $"?before={sent[3].Id}&limit=2")).Select(m => m.Id));
        Assert.Equal([7L, 8L], (await Server.MessagesAsContact(contact, conversation.Id, "?after_seq=6")).Select(m => m.Seq));
    }

    [Fact]
    public async Task Toggle_status_resolves_and_answers_the_conversation()
    {
        var contact = await Server.CreateContact();
        var conversation = await Server.StartConversation(contact, "thanks, solved");

        var json = await (await Server.Http.PostJson($"{Server.ConversationPath(contact, conversation.Id)}/toggle_status", null)).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal("resolved", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("seq").GetInt64() > conversation.Seq);
        Assert.Equal("resolved", (await Server.ConversationAsContact(contact, conversation.Id)).Status);
    }

    [Fact]
    public async Task Update_last_seen_answers_200_and_sets_the_contacts_seen_marker()
    {
        var contact = await Server.CreateContact();
        var conversation = await Server.StartConversation(contact, "hi");
        var from = NowSeconds();
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.PostJson($"{Server.ConversationPath(contact, conversation.Id)}/update_last_seen", null)).StatusCode);
        AssertUnixSeconds((await Server.ConversationAsContact(contact, conversation.Id)).ContactLastSeenAt, from, NowSeconds());
    }

    [Fact]
    public async Task Patch_message_hands_over_the_submitted_values_and_answers_the_message()
    {
        using var agent = Server.AdminHttp();
        var contact = await Server.CreateContact();
        var conversation = await Server.StartConversation(contact, "I need help");
        var question = await agent.SendAsAgent(conversation.Id, "What do you need help with?", contentType: "input_select",
            contentAttributes: new { items = new[] { new { title = "Billing", value = "billing" }, new { title = "Shipping", value = "shipping" } } });

        var json = await (await Server.Http.PatchJson($"{Server.ConversationPath(contact, conversation.Id)}/messages/{question.Id}",
            new { submitted_values = new[] { new { title = "Shipping", value = "shipping" } } })).JsonBody();

        AssertFields(json, ChatwootMessageFields);
        Assert.Equal(question.Id, json.GetProperty("id").GetInt64());
        Assert.Equal("shipping", json.GetProperty("content_attributes").GetProperty("submitted_values")[0].GetProperty("value").GetString());
        // The path's conversation reaches the use case: the message must be in it.
        var other = await Server.StartConversation(contact, "another");
        await (await Server.Http.PatchJson($"{Server.ConversationPath(contact, other.Id)}/messages/{question.Id}",
            new { submitted_values = new { a = 1 } })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
