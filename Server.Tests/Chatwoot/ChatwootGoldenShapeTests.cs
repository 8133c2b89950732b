using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using ChatHub.Server.Tests.Webhooks;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.Chatwoot.ChatwootShapeCatalog;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Chatwoot;

/// <summary>Message, conversation, contact, user and inbox in Chatwoot's shapes on each of ChatHub's Chatwoot
/// surfaces: REST answers, /cable broadcasts, webhook bodies. Every key and the kind of its value is held to
/// <see cref="ChatwootShapeCatalog"/>, which traces each field to the Chatwoot file it comes from; nothing more,
/// nothing missing. A real server, real HTTP, a real WebSocket and a real webhook receiver.</summary>
public sealed class ChatwootGoldenShapeTests(ITestOutputHelper output)
{
    private static readonly object FullContact = new
    {
        name = "Ann", email = "ann@example.com", phone_number = "+15550100", identifier = "ann-1",
        avatar_url = "https://example.com/ann.png", custom_attributes = new { plan = "pro" },
    };

    [Fact]
    public async Task Rest_answers_have_chatwoots_shapes()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact("Ann", FullContact);
        var started = await server.StartConversation(contact, "hello");
        var path = server.ConversationPath(contact, started.Id);
        var withFile = await (await server.Http.PostAsync($"{path}/messages",
            TestFiles.Form([("content", "my screenshot"), ("echo_id", "e-1")], [("screen.png", TestFiles.Png(), "image/png")]))).JsonBody();
        await admin.SendAsAgent(started.Id, "hi Ann");

        // Client API: the inbox, the conversation with its contact record, its messages and their senders.
        PublicInbox.Assert(await (await server.Http.GetAsync(server.ClientApi)).JsonBody());
        PublicContact.Assert(await (await server.Http.GetAsync(server.ContactPath(contact))).JsonBody());
        var conversation = await (await server.Http.GetAsync(path)).JsonBody();
        output.WriteLine(conversation.GetRawText());
        PublicConversation.Assert(conversation);
        ContactRecord.Assert(conversation.GetProperty("contact"));
        var messages = conversation.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(3, messages.Count);
        messages.ForEach(RestMessage.Assert);
        Assert.Equal("e-1", messages[1].GetProperty("echo_id").GetString()); // there when the sender gave one
        ContactPushData.Assert(messages[0].GetProperty("sender"));
        UserPushData.Assert(messages[2].GetProperty("sender"));
        Attachment.Assert(Assert.Single(withFile.GetProperty("attachments").EnumerateArray()));
        RestMessage.Assert(withFile);
        foreach (var m in (await (await server.Http.GetAsync($"{path}/messages")).JsonBody()).EnumerateArray()) RestMessage.Assert(m);

        // Application API: the conversation (_conversation partial), unassigned then assigned; the assignment answer is
        // the agent; the messages list; toggle_status.
        var one = $"{Account}/conversations/{started.Id}";
        var unassigned = await (await admin.GetAsync(one)).JsonBody();
        ApplicationConversation.Assert(unassigned);
        ConversationMeta.Assert(unassigned.GetProperty("meta"));
        Assert.False(unassigned.GetProperty("meta").TryGetProperty("assignee", out _));
        Assert.Equal(2, unassigned.GetProperty("unread_count").GetInt32()); // the customer's two messages: no agent has seen them
        var assignedTo = await (await admin.PostJson($"{one}/assignments", new { assignee_id = 1 })).JsonBody();
        Agent.Assert(assignedTo);
        Assert.Equal(1, assignedTo.GetProperty("id").GetInt64());
        var assigned = await (await admin.GetAsync(one)).JsonBody();
        output.WriteLine(assigned.GetRawText());
        ApplicationConversation.Assert(assigned);
        ConversationMeta.Assert(assigned.GetProperty("meta"));
        Agent.Assert(assigned.GetProperty("meta").GetProperty("assignee"));
        ContactPushData.Assert(assigned.GetProperty("meta").GetProperty("sender"));
        var last = Assert.Single(assigned.GetProperty("messages").EnumerateArray()); // [the last message], as the partial
        MessagePushData.Assert(last);
        MessageConversation.Assert(last.GetProperty("conversation"));
        MessagePushData.Assert(assigned.GetProperty("last_non_activity_message"));
        Assert.Equal("hi Ann", assigned.GetProperty("last_non_activity_message").GetProperty("content").GetString());
        foreach (var listed in (await (await admin.GetAsync($"{Account}/conversations")).JsonBody()).GetProperty("data").GetProperty("payload").EnumerateArray())
            ApplicationConversation.Assert(listed);

        var list = await (await admin.GetAsync($"{one}/messages")).JsonBody();
        MessageListMeta.Assert(list.GetProperty("meta"));
        Assert.Equal(JsonValueKind.Null, list.GetProperty("meta").GetProperty("agent_last_seen_at").ValueKind); // never seen: null
        UserPushData.Assert(list.GetProperty("meta").GetProperty("assignee"));
        ContactPushData.Assert(list.GetProperty("meta").GetProperty("contact"));
        foreach (var m in list.GetProperty("payload").EnumerateArray()) RestMessage.Assert(m);
        (await admin.PostJson($"{one}/update_last_seen", null)).EnsureSuccessStatusCode();
        var seen = (await (await admin.GetAsync($"{one}/messages")).JsonBody()).GetProperty("meta").GetProperty("agent_last_seen_at").GetString();
        Assert.True(DateTimeOffset.TryParse(seen, out _), $"agent_last_seen_at is a date-time once seen: {seen}");

        var toggled = await (await admin.PostJson($"{one}/toggle_status", new { status = "resolved" })).JsonBody();
        StatusToggledPayload.Assert(toggled.GetProperty("payload"));
        Assert.Equal(JsonValueKind.Null, (await (await admin.PostJson($"{one}/assignments", new { assignee_id = (long?)null })).JsonBody()).ValueKind);
    }

    [Fact]
    public async Task Cable_broadcasts_have_chatwoots_shapes()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact("Ann", FullContact);
        await using var cable = await RawCable.ConnectAsync(server);
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifier);
        await cable.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "confirm_subscription", "confirm_subscription");

        var conversation = await server.StartConversation(contact);
        var created = await Data(cable, identifier, "conversation.created");
        ConversationPushData.Assert(created);
        ConversationPushMeta.Assert(created.GetProperty("meta"));
        AssertSenderIsContact(created, contact);

        (await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages", new { content = "hello", echo_id = "e-1" }))
            .EnsureSuccessStatusCode();
        var own = await Data(cable, identifier, "message.created", d => d.GetProperty("content").GetString() == "hello");
        output.WriteLine(own.GetRawText());
        MessagePushData.Assert(own);
        Assert.Equal("e-1", own.GetProperty("echo_id").GetString());
        Assert.True(DateTimeOffset.TryParse(own.GetProperty("updated_at").GetString(), out _), "updated_at is a date-time string");
        MessageConversation.Assert(own.GetProperty("conversation"));
        ContactPushData.Assert(own.GetProperty("sender"));
        Assert.Equal("ann@example.com", own.GetProperty("sender").GetProperty("email").GetString());

        await admin.SendAsAgent(conversation.Id, "hi Ann");
        var reply = await Data(cable, identifier, "message.created", d => d.GetProperty("content").GetString() == "hi Ann");
        MessagePushData.Assert(reply);
        UserPushData.Assert(reply.GetProperty("sender"));

        (await admin.PostJson($"{Account}/conversations/{conversation.Id}/toggle_typing_status", new { typing_status = "on" })).EnsureSuccessStatusCode();
        var typing = await Data(cable, identifier, "conversation.typing_on");
        TypingCable.Assert(typing);
        ConversationPushData.Assert(typing.GetProperty("conversation"));
        UserPushData.Assert(typing.GetProperty("user"));

        (await admin.PostJson($"{Account}/conversations/{conversation.Id}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();
        var status = await Data(cable, identifier, "conversation.status_changed");
        ConversationPushData.Assert(status);
        ConversationPushMeta.Assert(status.GetProperty("meta"));
        AssertSenderIsContact(status, contact);
        Assert.Equal("resolved", status.GetProperty("status").GetString());
    }

    /// <summary>The dashboard and the widget replace their copy of a conversation with push data: meta.sender is the
    /// contact's push data (Conversation#push_event_data), without its credentials, even in the contact's own view.</summary>
    private static void AssertSenderIsContact(JsonElement conversation, ContactDto contact)
    {
        var meta = conversation.GetProperty("meta");
        var sender = meta.GetProperty("sender");
        ContactPushData.Assert(sender);
        Assert.Equal((contact.Id, "Ann", "ann@example.com"),
            (sender.GetProperty("id").GetInt64(), sender.GetProperty("name").GetString(), sender.GetProperty("email").GetString()));
        Assert.False(meta.GetProperty("hmac_verified").GetBoolean());
        Assert.False(sender.TryGetProperty("source_id", out _) || sender.TryGetProperty("pubsub_token", out _));
        Assert.DoesNotContain(contact.PubsubToken, conversation.GetRawText());
        Assert.DoesNotContain(contact.SourceId, conversation.GetRawText());
    }

    [Fact]
    public async Task Webhook_bodies_have_chatwoots_shapes()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = server.AdminHttp();
        await admin.CreateWebhookAsync(receiver.Url, "message_created", "conversation_created", "conversation_updated",
            "conversation_status_changed", "contact_created", "conversation_typing_on");

        var contact = await server.CreateContact("Ann", FullContact);
        var conversation = await server.StartConversation(contact, "hello");
        await (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages",
            TestFiles.Form([("content", "my screenshot")], [("screen.png", TestFiles.Png(), "image/png")]))).JsonBody();
        await admin.SendAsAgent(conversation.Id, "hi Ann");
        var one = $"{Account}/conversations/{conversation.Id}";
        (await admin.PostJson($"{one}/assignments", new { assignee_id = 1 })).EnsureSuccessStatusCode();
        (await admin.PostJson($"{one}/toggle_typing_status", new { typing_status = "on" })).EnsureSuccessStatusCode();
        (await admin.PostJson($"{one}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();

        var contactCreated = (await receiver.WaitForAsync(d => d.Event == "contact_created", "contact_created")).Json;
        ContactWebhookBody.Assert(contactCreated);
        AccountData.Assert(contactCreated.GetProperty("account"));

        var conversationCreated = (await receiver.WaitForAsync(d => d.Event == "conversation_created", "conversation_created")).Json;
        ConversationWebhookBody.Assert(conversationCreated);
        ConversationPushMeta.Assert(conversationCreated.GetProperty("meta"));
        ContactPushData.Assert(conversationCreated.GetProperty("meta").GetProperty("sender"));

        var fromContact = (await receiver.WaitForAsync(d => d.Event == "message_created" && d.Json.GetProperty("content").GetString() == "my screenshot",
            "the contact's message")).Json;
        output.WriteLine(fromContact.GetRawText());
        MessageWebhookBody.Assert(fromContact);
        ContactWebhookSender.Assert(fromContact.GetProperty("sender"));
        InboxWebhookData.Assert(fromContact.GetProperty("inbox"));
        AccountData.Assert(fromContact.GetProperty("account"));
        Attachment.Assert(Assert.Single(fromContact.GetProperty("attachments").EnumerateArray()));
        ConversationPushData.Assert(fromContact.GetProperty("conversation"));
        var lastChat = Assert.Single(fromContact.GetProperty("conversation").GetProperty("messages").EnumerateArray());
        MessagePushData.Assert(lastChat);
        Assert.Equal("my screenshot", lastChat.GetProperty("content").GetString());

        var fromAgent = (await receiver.WaitForAsync(d => d.Event == "message_created" && d.Json.GetProperty("content").GetString() == "hi Ann",
            "the agent's message")).Json;
        MessageWebhookBody.Assert(fromAgent);
        UserWebhookData.Assert(fromAgent.GetProperty("sender"));

        var assignment = (await receiver.WaitForAsync(d => d.Event == "conversation_updated" && d.Json.GetProperty("assignee_id").ValueKind == JsonValueKind.Number,
            "the assignment's conversation_updated")).Json;
        output.WriteLine(assignment.GetRawText());
        ConversationUpdatedWebhookBody.Assert(assignment);
        UserPushData.Assert(assignment.GetProperty("meta").GetProperty("assignee"));
        var assigneeChange = Assert.Single(assignment.GetProperty("changed_attributes").EnumerateArray()).GetProperty("assignee_id");
        Assert.Equal(JsonValueKind.Null, assigneeChange.GetProperty("previous_value").ValueKind);
        Assert.Equal(1, assigneeChange.GetProperty("current_value").GetInt64());

        var typing = (await receiver.WaitForAsync(d => d.Event == "conversation_typing_on", "conversation_typing_on")).Json;
        TypingWebhookBody.Assert(typing);
        ConversationPushData.Assert(typing.GetProperty("conversation"));
        UserPushData.Assert(typing.GetProperty("user"));

        foreach (var name in new[] { "conversation_status_changed", "conversation_updated" })
        {
            var resolved = (await receiver.WaitForAsync(d => d.Event == name && d.Json.GetProperty("status").GetString() == "resolved", name)).Json;
            ConversationUpdatedWebhookBody.Assert(resolved);
            var statusChange = Assert.Single(resolved.GetProperty("changed_attributes").EnumerateArray()).GetProperty("status");
            Assert.Equal(("open", "resolved"),
                (statusChange.GetProperty("previous_value").GetString(), statusChange.GetProperty("current_value").GetString()));
        }
    }

    private static async Task<JsonElement> Data(RawCable cable, string identifier, string eventName, Func<JsonElement, bool>? match = null) =>
        (await cable.WaitForBroadcast(identifier, eventName, match)).GetProperty("message").GetProperty("data");
}
