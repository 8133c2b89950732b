using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using ChatHub.Server.Tests.Webhooks;
using Xunit;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>A message's files in its webhook delivery, end to end: a real server, a real receiver on loopback.</summary>
public sealed class AttachmentWebhookTests
{
    /// <summary>A message's files reach webhooks as they reach REST, the hub and /cable (Chatwoot's
    /// Attachment#push_event_data), and the URL in them downloads the file.</summary>
    [Fact]
    public async Task A_message_with_files_carries_them_in_its_webhook()
    {
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = server.AdminHttp();
        await admin.CreateWebhookAsync(receiver.Url, "message_created");
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact);
        var png = TestFiles.Png();

        var sent = await (await server.Http.PostAsync($"{server.ConversationPath(contact, conversation.Id)}/messages",
            TestFiles.Form([("content", "my screenshot")], [("screen.png", png, "image/png")]))).JsonBody();

        var message = await receiver.WaitForAsync(d => d.Event == "message_created" && d.Json.GetProperty("id").GetInt64() == sent.GetProperty("id").GetInt64(),
            "the message with a file");
        var attachment = Assert.Single(message.Json.GetProperty("attachments").EnumerateArray());
        Assert.Equal(sent.GetProperty("attachments")[0].GetProperty("id").GetInt64(), attachment.GetProperty("id").GetInt64());
        Assert.Equal(sent.GetProperty("id").GetInt64(), attachment.GetProperty("message_id").GetInt64());
        Assert.Equal("image", attachment.GetProperty("file_type").GetString());
        Assert.Equal(png.Length, attachment.GetProperty("file_size").GetInt64());
        Assert.Equal(1, attachment.GetProperty("account_id").GetInt64());
        Assert.Equal(png, await server.Http.GetByteArrayAsync(attachment.GetProperty("data_url").GetString()));
    }
}
