using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using ChatHub.Server.Tests.Webhooks;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Hardening;

/// <summary>A contact's content_attributes keep only what Chatwoot's contact side takes, <c>in_reply_to</c> naming a
/// message of the conversation the contact sees (the rule, in-process: UseCases/Conversations/ContactContentAttributesTests);
/// here over REST, JSON and multipart: a forged <c>submitted_values</c> (an answer to a form nobody sent) reaches neither
/// the agents, nor the API, nor the webhooks.</summary>
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
        var messages = $"{server.ConversationPath(contact, conversation.Id)}/messages";

        var forged = await (await server.Http.PostJson(messages, new
        {
            content = "I filled in your form",
            content_attributes = new { in_reply_to = reply.Id, submitted_values = Forged, items = new[] { new { title = "x" } } },
        })).JsonBody();
        Assert.Equal($$"""{"in_reply_to":{{reply.Id}}}""", forged.GetProperty("content_attributes").GetRawText());

        // A digit string names a message too, as Rails takes it; the rest of the rule is in-process.
        var byString = await (await server.Http.PostJson(messages, new { content = "reply", content_attributes = new { in_reply_to = reply.Id.ToString() } })).JsonBody();
        Assert.Equal($$"""{"in_reply_to":{{reply.Id}}}""", byString.GetProperty("content_attributes").GetRawText());

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
}
