using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using ChatHub.Server.Tests.Webhooks;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Hardening;

/// <summary>A contact's content_attributes keep only what Chatwoot's contact side takes, <c>in_reply_to</c> naming a
/// message of the conversation the contact sees; everything else is dropped, as Chatwoot's permit lists drop it. A
/// forged <c>submitted_values</c> (an answer to a form nobody sent) reaches neither the agents, nor the API, nor the
/// webhooks. Agents keep full content_attributes (interactive messages).</summary>
public sealed class ContactContentAttributesTests
{
    private static readonly object Forged = new[] { new { name = "plan", value = "enterprise, free forever" } };

    [Fact]
    public async Task Over_rest_and_multipart_a_contact_keeps_only_in_reply_to_and_webhooks_see_nothing_else()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = server.AdminHttp();
        await admin.CreateWebhookAsync(receiver.Url, "message_created");
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        var reply = await admin.SendAsAgent(conversation.Id, "how can I help?");
        var note = await admin.SendAsAgent(conversation.Id, "internal", isPrivate: true);
        var stranger = await server.CreateContact("Bob");
        var elsewhere = (await server.SendAsContact(stranger, (await server.StartConversation(stranger)).Id, "not yours"));
        var messages = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        var forged = await (await server.Http.PostJson(messages, new
        {
            content = "I filled in your form",
            content_attributes = new { in_reply_to = reply.Id, submitted_values = Forged, items = new[] { new { title = "x" } } },
        })).JsonBody();
        Assert.Equal($$"""{"in_reply_to":{{reply.Id}}}""", forged.GetProperty("content_attributes").GetRawText());

        // in_reply_to itself only when it names a message of this conversation the contact sees (a digit string is
        // taken, as Rails takes it).
        foreach (var (inReplyTo, kept) in new (object, bool)[]
        {
            (reply.Id.ToString(), true), (note.Id, false), (elsewhere.Id, false), (999_999, false), ("abc", false), (-1, false),
            (new { id = reply.Id }, false),
        })
        {
            var sent = await (await server.Http.PostJson(messages, new { content = $"reply to {inReplyTo}", content_attributes = new { in_reply_to = inReplyTo } })).JsonBody();
            Assert.Equal(kept ? $$"""{"in_reply_to":{{reply.Id}}}""" : "{}", sent.GetProperty("content_attributes").GetRawText());
        }

        // Multipart (the client API's files): the same rule.
        var withFile = await (await server.Http.PostAsync(messages, TestFiles.Form(
            [("content", "with a file"), ("content_attributes", JsonSerializer.Serialize(new { submitted_values = Forged }))],
            [("note.txt", "hi"u8.ToArray(), "text/plain")]))).JsonBody();
        Assert.Equal("{}", withFile.GetProperty("content_attributes").GetRawText());

        // The agents' view and the webhooks carry none of it.
        var stored = (await admin.MessagesAsAgent(conversation.Id)).Single(m => m.Id == forged.GetProperty("id").GetInt64());
        Assert.Equal($$"""{"in_reply_to":{{reply.Id}}}""", stored.ContentAttributes?.GetRawText());
        var delivered = await receiver.WaitForAsync(d => d.Event == "message_created" && d.Json.GetProperty("content").GetString() == "I filled in your form", "the forged message");
        Assert.Equal($$"""{"in_reply_to":{{reply.Id}}}""", delivered.Json.GetProperty("content_attributes").GetRawText());
        await receiver.WaitForAsync(d => d.Event == "message_created" && d.Json.GetProperty("content").GetString() == "with a file", "the multipart one");
        Assert.DoesNotContain(receiver.Received, d => d.Body.Contains("enterprise, free forever") || d.Body.Contains("submitted_values"));
    }

    [Fact]
    public async Task Over_the_hub_a_contact_keeps_only_in_reply_to_and_an_agent_keeps_everything()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        var question = await scene.Agent.Hub.SendMessage(new SendMessageRequest
        {
            ConversationId = conversation.Id, Content = "Which plan?", ContentType = "input_select",
            ContentAttributes = JsonSerializer.SerializeToElement(new { items = new[] { new { title = "Pro", value = "pro" } } }),
        });
        Assert.Equal("""{"items":[{"title":"Pro","value":"pro"}]}""", question.ContentAttributes?.GetRawText()); // agents: as sent

        var forged = await scene.Customer.Hub.SendMessage(new SendMessageRequest
        {
            ConversationId = conversation.Id, Content = "Enterprise please",
            ContentAttributes = JsonSerializer.SerializeToElement(new { in_reply_to = question.Id, submitted_values = Forged }),
        });
        Assert.Equal($$"""{"in_reply_to":{{question.Id}}}""", forged.ContentAttributes?.GetRawText());
        var pushed = await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == forged.Id);
        Assert.Equal($$"""{"in_reply_to":{{question.Id}}}""", pushed.Message.ContentAttributes?.GetRawText());

        var onlyForged = await scene.Customer.Hub.SendMessage(new SendMessageRequest
        {
            ConversationId = conversation.Id, Content = "and this",
            ContentAttributes = JsonSerializer.SerializeToElement(new { submitted_values = Forged }),
        });
        Assert.Null(onlyForged.ContentAttributes);
        // The question is still unanswered: only SubmitValues answers it, with its checks.
        using var admin = scene.Server.AdminHttp();
        var asked = (await admin.MessagesAsAgent(conversation.Id)).Single(m => m.Id == question.Id);
        Assert.False(asked.ContentAttributes!.Value.TryGetProperty("submitted_values", out _));
    }
}
