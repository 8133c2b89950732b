using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>Webhooks end to end, over real HTTP: a real server, a real receiver on loopback.</summary>
[Trait("Run", "EveryStore")] // deliveries are claimed, leased and retried in the store
public sealed class WebhookDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_message_arrives_signed_as_chatwoot_receivers_verify_it_in_chatwoots_shape_without_credentials()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = server.AdminHttp();
        var webhook = await admin.CreateWebhookAsync(receiver.Url, "message_created", "conversation_created", "contact_created", "conversation_typing_on");

        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello, café ☕");
        // A conversation_updated, which the webhook does not subscribe to, before the typing it does: the typing's delivery,
        // in order after it, is the barrier for "never sent".
        (await admin.PostJson($"{Account}/conversations/{conversation.Id}/update_last_seen", null)).EnsureSuccessStatusCode();
        (await admin.PostJson($"{Account}/conversations/{conversation.Id}/toggle_typing_status", new { typing_status = "on" })).EnsureSuccessStatusCode();

        var message = await receiver.WaitForAsync(d => d.Event == "message_created", "message_created");
        output.WriteLine(message.Body);
        Assert.Contains("hello, café ☕", message.Body); // plain UTF-8, as Rails sends it
        Assert.True(message.IsSignedWith(webhook.Secret));
        Assert.False(message.IsSignedWith(webhook.Secret + "x"));
        Assert.True(Guid.TryParse(message.DeliveryId, out _));
        Assert.InRange(long.Parse(message.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());

        var m = message.Json;
        Assert.Equal("hello, café ☕", m.GetProperty("content").GetString());
        Assert.Equal("incoming", m.GetProperty("message_type").GetString());
        Assert.Equal("text", m.GetProperty("content_type").GetString());
        Assert.Equal(JsonValueKind.Object, m.GetProperty("content_attributes").ValueKind);
        Assert.False(m.GetProperty("private").GetBoolean());
        Assert.True(DateTimeOffset.TryParse(m.GetProperty("created_at").GetString(), out _));
        Assert.Equal(("contact", contact.Id, "Ann"), (m.GetProperty("sender").GetProperty("type").GetString(),
            m.GetProperty("sender").GetProperty("id").GetInt64(), m.GetProperty("sender").GetProperty("name").GetString()));
        Assert.Equal(conversation.Id, m.GetProperty("conversation").GetProperty("id").GetInt64());
        Assert.Equal(1, m.GetProperty("inbox").GetProperty("id").GetInt64());
        Assert.False(string.IsNullOrEmpty(m.GetProperty("inbox").GetProperty("name").GetString()));
        Assert.Equal(1, m.GetProperty("account").GetProperty("id").GetInt64());
        Assert.Equal(0, m.GetProperty("attachments").GetArrayLength()); // this message has none; see the test below
        Assert.True(m.GetProperty("seq").GetInt64() > 0);
        Assert.True(m.GetProperty("id").GetInt64() > 0);

        var created = await receiver.WaitForAsync(d => d.Event == "conversation_created", "conversation_created");
        Assert.Equal(conversation.Id, created.Json.GetProperty("id").GetInt64());
        Assert.Equal(contact.Id, created.Json.GetProperty("meta").GetProperty("sender").GetProperty("id").GetInt64());
        var newContact = await receiver.WaitForAsync(d => d.Event == "contact_created", "contact_created");
        Assert.Equal(contact.Id, newContact.Json.GetProperty("id").GetInt64());
        var typing = await receiver.WaitForAsync(d => d.Event == "conversation_typing_on", "conversation_typing_on");
        Assert.Equal("user", typing.Json.GetProperty("user").GetProperty("type").GetString());
        Assert.Equal(conversation.Id, typing.Json.GetProperty("conversation").GetProperty("id").GetInt64());

        // No secret and no customer credential, anywhere.
        foreach (var delivery in receiver.Received)
        {
            Assert.True(delivery.IsSignedWith(webhook.Secret));
            foreach (var secret in new[] { contact.PubsubToken, contact.SourceId, webhook.Secret, server.AgentToken, server.HmacToken })
                Assert.DoesNotContain(secret, delivery.Body);
            Assert.DoesNotContain("pubsub_token", delivery.Body);
            Assert.DoesNotContain("contact_inbox", delivery.Body);
        }
        Assert.DoesNotContain(receiver.Received, d => d.Event == "conversation_updated"); // not subscribed
        // At least once: under load a delivery may be retried (same id); a retry carries the same body, never another event.
        Assert.All(receiver.Received.GroupBy(d => d.DeliveryId), copies => Assert.Single(copies.Select(d => d.Body).Distinct()));
    }

    [Fact]
    public async Task A_bot_answers_incoming_messages_through_the_application_api_and_the_customer_receives_it()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        using var bot = server.AdminHttp();
        string? secret = null;
        await using var receiver = await WebhookReceiver.StartAsync(async delivery =>
        {
            if (!delivery.IsSignedWith(secret!)) return 401;
            var m = delivery.Json;
            if (delivery.Event == "message_created" && m.GetProperty("message_type").GetString() == "incoming")
            {
                var conversationId = m.GetProperty("conversation").GetProperty("id").GetInt64();
                var reply = await bot.PostJson($"{Account}/conversations/{conversationId}/messages",
                    new { content = $"bot: you said '{m.GetProperty("content").GetString()}'", message_type = "outgoing" });
                return reply.IsSuccessStatusCode ? 200 : 500;
            }
            return 200;
        });
        secret = (await bot.CreateWebhookAsync(receiver.Url, "message_created")).Secret;

        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "where is my order?");
        await EventuallyAsync(async () => (await server.MessagesAsContact(contact, conversation.Id))
            .Any(x => x.Content == "bot: you said 'where is my order?'" && x.MessageType == MessageTypes.Outgoing), "the bot's answer reached the customer");
        await receiver.WaitForAsync(d => d.Event == "message_created" && d.Json.GetProperty("message_type").GetString() == "outgoing",
            "the bot's own message is delivered too");
        Assert.All(receiver.Received, d => Assert.Equal(200, d.AnsweredStatus)); // every signature verified
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_with_the_same_delivery_id_and_the_webhooks_order_is_kept()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        var failuresLeft = 3;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(Interlocked.Decrement(ref failuresLeft) >= 0 ? 500 : 200));
        using var admin = server.AdminHttp();
        var webhook = await admin.CreateWebhookAsync(receiver.Url, "message_created");

        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "m0");
        for (var i = 1; i < 5; i++) await server.SendAsContact(contact, conversation.Id, $"m{i}");

        await receiver.WaitUntilAsync(r => r.Accepted.Count >= 5, "five accepted deliveries");
        var failed = receiver.Received.Where(d => d.AnsweredStatus == 500).ToList();
        Assert.Equal(3, failed.Count);
        Assert.Single(failed.Select(d => d.DeliveryId).Distinct()); // the same delivery, retried
        Assert.Equal(failed[0].DeliveryId, receiver.Accepted[0].DeliveryId);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], receiver.Accepted.Select(d => d.Json.GetProperty("content").GetString()));
        Assert.Equal(5, receiver.Accepted.Select(d => d.DeliveryId).Distinct().Count());

        var deliveries = await admin.DeliveriesAsync(webhook.Id);
        var first = deliveries.Single(d => d.GetProperty("delivery_id").GetString() == failed[0].DeliveryId);
        Assert.Equal(("delivered", 4, "HTTP 500"), (first.GetProperty("status").GetString(), first.GetProperty("attempts").GetInt32(),
            first.GetProperty("last_error").GetString()));
        Assert.All(deliveries, d => Assert.Equal("message_created", d.GetProperty("event").GetString()));
    }
}
