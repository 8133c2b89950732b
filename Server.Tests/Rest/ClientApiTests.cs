using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Every row of API.md's "REST: client API" table, over real HTTP.</summary>
public sealed class ClientApiTests
{
    [Fact]
    public async Task Get_inbox_answers_the_public_inbox_in_snake_case()
    {
        await using var server = await ChatServer.StartAsync();
        var json = await (await server.Http.GetAsync(server.ClientApi)).JsonBody();

        AssertFields(json, InboxFields);
        Assert.Equal(server.InboxIdentifier, json.GetProperty("identifier").GetString());
        Assert.Equal("Website", json.GetProperty("name").GetString());
        Assert.Equal("UTC", json.GetProperty("timezone").GetString());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("working_hours").ValueKind);
        Assert.False(json.GetProperty("identity_validation_enabled").GetBoolean());
        Assert.True(json.GetProperty("greeting_enabled").GetBoolean());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("greeting_message").GetString()));
        Assert.False(json.TryGetProperty("hmac_token", out _), "the public inbox must not show its HMAC secret");
    }

    [Fact]
    public async Task Create_contact_answers_every_contact_field()
    {
        await using var server = await ChatServer.StartAsync();
        var response = await server.Http.PostJson($"{server.ClientApi}/contacts", new
        {
            identifier = "cust-42",
            name = "Ann Smith",
            email = "ann@example.com",
            phone_number = "+44 20 7946 0958",
            custom_attributes = new { plan = "gold", seats = 3 },
        });
        var json = await response.JsonBody();

        AssertFields(json, ContactFields);
        Assert.True(json.GetProperty("id").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("source_id").GetString()));
        Assert.True(json.GetProperty("pubsub_token").GetString()!.Length >= 22, "pubsub_token must carry >= 128 random bits");
        Assert.Equal("Ann Smith", json.GetProperty("name").GetString());
        Assert.Equal("ann@example.com", json.GetProperty("email").GetString());
        Assert.Equal("+44 20 7946 0958", json.GetProperty("phone_number").GetString());
        Assert.Equal("cust-42", json.GetProperty("identifier").GetString());
        Assert.Equal("gold", json.GetProperty("custom_attributes").GetProperty("plan").GetString());
        Assert.Equal(3, json.GetProperty("custom_attributes").GetProperty("seats").GetInt32());
        Assert.False(json.GetProperty("hmac_verified").GetBoolean());
    }

    [Fact]
    public async Task Create_contact_without_a_body_makes_an_anonymous_contact()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", null);
        Assert.True(contact.Id > 0);
        Assert.False(string.IsNullOrEmpty(contact.SourceId));
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{4}$", contact.Name); // generated, as Chatwoot: a contact always has a name
    }

    [Fact]
    public async Task Get_contact_answers_the_stored_contact()
    {
        await using var server = await ChatServer.StartAsync();
        var created = await server.CreateContact("Bob");
        var json = await (await server.Http.GetAsync(server.ContactPath(created))).JsonBody();

        AssertFields(json, ContactFields);
        Assert.Equal(created.Id, json.GetProperty("id").GetInt64());
        Assert.Equal(created.SourceId, json.GetProperty("source_id").GetString());
        Assert.Equal(created.PubsubToken, json.GetProperty("pubsub_token").GetString());
        Assert.Equal("Bob", json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Patch_contact_updates_given_fields_and_merges_custom_attributes()
    {
        await using var server = await ChatServer.StartAsync();
        var created = await server.CreateContact("Carol", new { name = "Carol", custom_attributes = new { plan = "free", region = "eu" } });

        var updated = await (await server.Http.PatchJson(server.ContactPath(created), new
        {
            email = "carol@example.com",
            custom_attributes = new { plan = "pro" },
        })).Read<ContactDto>();

        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("Carol", updated.Name); // not given: unchanged
        Assert.Equal("carol@example.com", updated.Email);
        Assert.Equal("pro", updated.CustomAttributes!["plan"].GetString());
        Assert.Equal("eu", updated.CustomAttributes["region"].GetString());

        var reread = await server.Http.GetRead<ContactDto>(server.ContactPath(created));
        Assert.Equal("carol@example.com", reread.Email);
        Assert.Equal("pro", reread.CustomAttributes!["plan"].GetString());
    }

    [Fact]
    public async Task Start_conversation_answers_the_conversation_with_its_first_message()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Dan");
        var from = NowSeconds();
        var response = await server.Http.PostJson($"{server.ContactPath(contact)}/conversations", new
        {
            custom_attributes = new { page = "/pricing" },
            message = new { content = "Do you ship to Norway?", echo_id = "first-1" },
        });
        var json = await response.JsonBody();
        var to = NowSeconds();

        AssertFields(json, ConversationFields);
        Assert.Equal(1, json.GetProperty("inbox_id").GetInt64());
        Assert.Equal(contact.Id, json.GetProperty("contact_id").GetInt64());
        Assert.Equal("open", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("assignee_id").ValueKind);
        Assert.Equal(1, json.GetProperty("seq").GetInt64());
        Assert.True(Guid.TryParse(json.GetProperty("uuid").GetString(), out _));
        Assert.Equal("/pricing", json.GetProperty("custom_attributes").GetProperty("page").GetString());
        Assert.Equal(0, json.GetProperty("contact_last_seen_at").GetInt64()); // never: 0, as Chatwoot
        Assert.Equal(0, json.GetProperty("agent_last_seen_at").GetInt64());
        AssertUnixSeconds(json.GetProperty("created_at").GetInt64(), from, to);
        AssertUnixSeconds(json.GetProperty("last_activity_at").GetInt64(), from, to);

        var message = Assert.Single(json.GetProperty("messages").EnumerateArray());
        AssertFields(message, MessageFields);
        Assert.Equal(json.GetProperty("id").GetInt64(), message.GetProperty("conversation_id").GetInt64());
        Assert.Equal(1, message.GetProperty("seq").GetInt64());
        Assert.Equal(MessageTypes.Incoming, message.GetProperty("message_type").GetInt32());
        Assert.Equal("Do you ship to Norway?", message.GetProperty("content").GetString());
        Assert.Equal("text", message.GetProperty("content_type").GetString());
        Assert.False(message.GetProperty("private").GetBoolean());
        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Equal("first-1", message.GetProperty("echo_id").GetString());
        var sender = message.GetProperty("sender");
        Assert.Equal(contact.Id, sender.GetProperty("id").GetInt64());
        Assert.Equal("Dan", sender.GetProperty("name").GetString());
        Assert.Equal("contact", sender.GetProperty("type").GetString());
        AssertUnixSeconds(message.GetProperty("created_at").GetInt64(), from, to);
        AssertUnixSeconds(message.GetProperty("updated_at").GetInt64(), from, to);
    }

    [Fact]
    public async Task Start_conversation_without_a_message_has_no_messages()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact);
        Assert.Empty(conversation.Messages);
        Assert.Equal(0, conversation.Seq);
        Assert.Equal("open", conversation.Status);
    }

    [Fact]
    public async Task List_conversations_answers_only_the_contacts_own_conversations()
    {
        await using var server = await ChatServer.StartAsync();
        var ann = await server.CreateContact("Ann");
        var bob = await server.CreateContact("Bob");
        var first = await server.StartConversation(ann, "one");
        var second = await server.StartConversation(ann, "two");
        await server.StartConversation(bob, "not Ann's");
        await server.Http.PostJson($"{server.ConversationPath(ann, first.Id)}/toggle_status", null);

        var json = await (await server.Http.GetAsync($"{server.ContactPath(ann)}/conversations")).JsonBody();
        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        foreach (var c in json.EnumerateArray()) AssertFields(c, ConversationFields);
        var ids = json.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([first.Id, second.Id], ids.Order().ToList()); // resolved ones too
        Assert.All(json.EnumerateArray(), c => Assert.Equal(ann.Id, c.GetProperty("contact_id").GetInt64()));
    }

    [Fact]
    public async Task Get_conversation_answers_it_with_the_newest_page_of_messages_oldest_first()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "m1");
        for (var i = 2; i <= 25; i++) await server.SendAsContact(contact, conversation.Id, $"m{i}");

        var json = await (await server.Http.GetAsync(server.ConversationPath(contact, conversation.Id))).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal(conversation.Id, json.GetProperty("id").GetInt64());
        Assert.Equal(25, json.GetProperty("seq").GetInt64());
        var contents = json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()).ToList();
        Assert.Equal(Enumerable.Range(6, 20).Select(i => (string?)$"m{i}").ToList(), contents);
    }

    [Fact]
    public async Task Post_message_answers_the_stored_message()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Eve");
        var conversation = await server.StartConversation(contact, "hi");
        var from = NowSeconds();
        var json = await (await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages",
            new { content = "second", echo_id = "e-2" })).JsonBody();
        var to = NowSeconds();

        AssertFields(json, MessageFields);
        Assert.Equal(conversation.Id, json.GetProperty("conversation_id").GetInt64());
        Assert.Equal(2, json.GetProperty("seq").GetInt64());
        Assert.Equal(MessageTypes.Incoming, json.GetProperty("message_type").GetInt32());
        Assert.Equal("second", json.GetProperty("content").GetString());
        Assert.Equal("text", json.GetProperty("content_type").GetString());
        Assert.Equal("e-2", json.GetProperty("echo_id").GetString());
        Assert.Equal("contact", json.GetProperty("sender").GetProperty("type").GetString());
        AssertUnixSeconds(json.GetProperty("created_at").GetInt64(), from, to);
    }

    [Fact]
    public async Task Contacts_may_send_only_text_messages()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var response = await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages",
            new { content = "pick one", content_type = "input_select" });
        await response.AssertValidation("content_type");
    }

    [Fact]
    public async Task Contacts_cannot_write_private_notes()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        await (await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages", new { content = "psst", @private = true }))
            .AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Single(await server.MessagesAsContact(contact, conversation.Id));
    }

    [Fact]
    public async Task Get_messages_answers_oldest_first_with_limit_before_and_after_seq()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "m1");
        var sent = new List<MessageDto> { conversation.Messages[0] };
        for (var i = 2; i <= 30; i++) sent.Add(await server.SendAsContact(contact, conversation.Id, $"m{i}"));

        var json = await (await server.Http.GetAsync($"{server.ConversationPath(contact, conversation.Id)}/messages")).JsonBody();
        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        foreach (var m in json.EnumerateArray()) AssertFields(m, MessageFields);

        var newest = await server.MessagesAsContact(contact, conversation.Id);
        Assert.Equal(sent.Skip(10).Select(m => m.Id), newest.Select(m => m.Id)); // default limit 20, the newest

        var page = await server.MessagesAsContact(contact, conversation.Id, "?limit=5");
        Assert.Equal(sent.Skip(25).Select(m => m.Id), page.Select(m => m.Id));

        var older = await server.MessagesAsContact(contact, conversation.Id, $"?before={page[0].Id}&limit=5");
        Assert.Equal(sent.Skip(20).Take(5).Select(m => m.Id), older.Select(m => m.Id));

        var oldest = await server.MessagesAsContact(contact, conversation.Id, $"?before={sent[3].Id}&limit=100");
        Assert.Equal(sent.Take(3).Select(m => m.Id), oldest.Select(m => m.Id));

        var after = await server.MessagesAsContact(contact, conversation.Id, "?after_seq=27");
        Assert.Equal([28L, 29L, 30L], after.Select(m => m.Seq));

        var afterLimited = await server.MessagesAsContact(contact, conversation.Id, "?after_seq=0&limit=3");
        Assert.Equal([1L, 2L, 3L], afterLimited.Select(m => m.Seq)); // resync pages forward from the seq

        var all = await server.MessagesAsContact(contact, conversation.Id, "?limit=100");
        Assert.Equal(sent.Select(m => m.Id), all.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), all.Select(m => m.Seq));
    }

    [Fact]
    public async Task Toggle_status_resolves_the_conversation()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "thanks, solved");

        var json = await (await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/toggle_status", null)).JsonBody();
        AssertFields(json, ConversationFields);
        Assert.Equal("resolved", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("seq").GetInt64() > conversation.Seq);

        // A contact's toggle always resolves: a second call leaves it resolved.
        var again = await server.Http.PostRead<ConversationDto>($"{server.ConversationPath(contact, conversation.Id)}/toggle_status", null);
        Assert.Equal("resolved", again.Status);
        Assert.Equal("resolved", (await server.ConversationAsContact(contact, conversation.Id)).Status);
    }

    [Fact]
    public async Task Writing_into_a_resolved_conversation_reopens_it()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/toggle_status", null);

        await server.SendAsContact(contact, conversation.Id, "one more thing");
        Assert.Equal("open", (await server.ConversationAsContact(contact, conversation.Id)).Status);
    }

    [Fact]
    public async Task Toggle_typing_accepts_on_and_off_and_refuses_anything_else()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var path = $"{server.ConversationPath(contact, conversation.Id)}/toggle_typing";

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJson(path, new { typing_status = "on" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJson(path, new { typing_status = "off" })).StatusCode);
        await (await server.Http.PostJson(path, new { typing_status = "maybe" })).AssertValidation("typing_status");
        await (await server.Http.PostJson(path, new { })).AssertValidation("typing_status");
        // Typing is not a stored change: it takes no seq.
        Assert.Equal(conversation.Seq, (await server.ConversationAsContact(contact, conversation.Id)).Seq);
    }

    [Fact]
    public async Task Update_last_seen_sets_contact_last_seen_at_and_marks_agent_messages_read()
    {
        await using var server = await ChatServer.StartAsync();
        using var agent = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var reply = await agent.SendAsAgent(conversation.Id, "hello, how can I help?");
        Assert.Equal("sent", reply.Status);
        Assert.Equal("sent", (await server.MessagesAsContact(contact, conversation.Id)).Single(m => m.Id == reply.Id).Status);

        var from = NowSeconds();
        var response = await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/update_last_seen", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var to = NowSeconds();

        var seen = await server.ConversationAsContact(contact, conversation.Id);
        AssertUnixSeconds(seen.ContactLastSeenAt, from, to);
        Assert.Equal(0, seen.AgentLastSeenAt);
        var messages = await server.MessagesAsContact(contact, conversation.Id);
        Assert.Equal("read", messages.Single(m => m.Id == reply.Id).Status);
        Assert.Equal("sent", messages.Single(m => m.MessageType == MessageTypes.Incoming).Status); // the agent has not seen it
        Assert.Equal("read", (await agent.MessagesAsAgent(conversation.Id)).Single(m => m.Id == reply.Id).Status);
    }

    [Fact]
    public async Task Patch_message_stores_submitted_values_on_an_agents_input_select()
    {
        await using var server = await ChatServer.StartAsync();
        using var agent = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "I need help");
        var question = await agent.SendAsAgent(conversation.Id, "What do you need help with?", contentType: "input_select",
            contentAttributes: new { items = new[] { new { title = "Billing", value = "billing" }, new { title = "Shipping", value = "shipping" } } });
        Assert.Equal("input_select", question.ContentType);

        var from = NowSeconds();
        var json = await (await server.Http.PatchJson($"{server.ConversationPath(contact, conversation.Id)}/messages/{question.Id}",
            new { submitted_values = new[] { new { title = "Shipping", value = "shipping" } } })).JsonBody();
        var to = NowSeconds();

        AssertFields(json, MessageFields);
        Assert.Equal(question.Id, json.GetProperty("id").GetInt64());
        var attributes = json.GetProperty("content_attributes");
        Assert.Equal("shipping", attributes.GetProperty("submitted_values")[0].GetProperty("value").GetString());
        Assert.Equal(2, attributes.GetProperty("items").GetArrayLength()); // the question's own attributes stay
        Assert.True(json.GetProperty("seq").GetInt64() > question.Seq, "an update takes the conversation's next seq");
        AssertUnixSeconds(json.GetProperty("updated_at").GetInt64(), from, to);

        var stored = (await agent.MessagesAsAgent(conversation.Id)).Single(m => m.Id == question.Id);
        Assert.Equal("shipping", stored.ContentAttributes!.Value.GetProperty("submitted_values")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Patch_message_refuses_messages_that_take_no_answer()
    {
        await using var server = await ChatServer.StartAsync();
        using var agent = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var own = conversation.Messages[0];
        var text = await agent.SendAsAgent(conversation.Id, "plain text");
        var body = new { submitted_values = new { answer = 1 } };

        await (await server.Http.PatchJson($"{server.ConversationPath(contact, conversation.Id)}/messages/{own.Id}", body))
            .AssertValidation("message_id");
        await (await server.Http.PatchJson($"{server.ConversationPath(contact, conversation.Id)}/messages/{text.Id}", body))
            .AssertValidation("message_id");
    }

    [Fact]
    public async Task Same_echo_id_twice_returns_the_same_message_and_stores_one()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact);

        var first = await server.SendAsContact(contact, conversation.Id, "only once", echoId: "retry-1");
        var second = await server.SendAsContact(contact, conversation.Id, "only once", echoId: "retry-1");
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Seq, second.Seq);

        var messages = await server.MessagesAsContact(contact, conversation.Id);
        var stored = Assert.Single(messages);
        Assert.Equal("retry-1", stored.EchoId);
        Assert.Equal(first.Seq, (await server.ConversationAsContact(contact, conversation.Id)).Seq);

        var other = await server.SendAsContact(contact, conversation.Id, "a new one", echoId: "retry-2");
        Assert.NotEqual(first.Id, other.Id);
    }

    [Fact]
    public async Task Concurrent_sends_with_the_same_echo_id_store_one_message()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            server.SendAsContact(contact, conversation.Id, "tap tap tap", echoId: "double-tap")));
        Assert.Single(answers.Select(m => m.Id).Distinct());
        Assert.Single(await server.MessagesAsContact(contact, conversation.Id));
        Assert.Equal(1, (await server.ConversationAsContact(contact, conversation.Id)).Seq);
    }

    [Fact]
    public async Task Retried_start_with_the_same_first_message_echo_id_returns_the_same_conversation()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var body = new { message = new { content = "hello?", echo_id = "start-1" } };

        var first = await server.Http.PostRead<ConversationDto>($"{server.ContactPath(contact)}/conversations", body);
        var retried = await server.Http.PostRead<ConversationDto>($"{server.ContactPath(contact)}/conversations", body);
        Assert.Equal(first.Id, retried.Id);
        Assert.Equal(first.Messages[0].Id, retried.Messages[0].Id);

        var conversations = await server.Http.GetRead<List<ConversationDto>>($"{server.ContactPath(contact)}/conversations");
        Assert.Single(conversations);
        Assert.Single(await server.MessagesAsContact(contact, first.Id));
        // Without an echo_id every start is a new conversation.
        await server.StartConversation(contact, "hello?");
        Assert.Equal(2, (await server.Http.GetRead<List<ConversationDto>>($"{server.ContactPath(contact)}/conversations")).Count);
    }

    [Fact]
    public async Task Echo_ids_are_per_sender()
    {
        await using var server = await ChatServer.StartAsync();
        using var agent = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact);

        var fromContact = await server.SendAsContact(contact, conversation.Id, "hello", echoId: "same");
        var fromAgent = await agent.SendAsAgent(conversation.Id, "hello", echoId: "same");
        Assert.NotEqual(fromContact.Id, fromAgent.Id);
        Assert.Equal(2, (await server.MessagesAsContact(contact, conversation.Id)).Count);
    }
}
