using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>/cable's message.created carries the message's attachments as Chatwoot's push data ([] when none).</summary>
public sealed class CableAttachmentTests
{
    [Fact]
    public async Task Message_created_carries_the_attachments_and_an_empty_list_without_files()
    {
        await using var server = await ChatServer.StartAsync();
        using var agent = server.AgentHttp(server.AgentToken);
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact);
        await using var cable = await RawCable.ConnectAsync(server);
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifier);
        await cable.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "confirm_subscription", "confirm_subscription");

        (await agent.PostJson($"/api/v1/conversations/{conversation.Id}/messages", new { content = "plain" })).EnsureSuccessStatusCode();
        var plain = (await cable.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("content").GetString() == "plain"))
            .GetProperty("message").GetProperty("data");
        Assert.Equal(0, plain.GetProperty("attachments").GetArrayLength());

        var sent = await (await agent.PostAsync($"/api/v1/conversations/{conversation.Id}/messages",
            TestFiles.Form([("content", "the invoice")], [("invoice.pdf", TestFiles.Pdf(), "application/pdf")]))).Read<MessageDto>();
        var withFile = (await cable.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("id").GetInt64() == sent.Id))
            .GetProperty("message").GetProperty("data");
        var attachment = Assert.Single(withFile.GetProperty("attachments").EnumerateArray());
        Assert.Equal((sent.Attachments[0].Id, sent.Id, "file", "pdf", 1L), (attachment.GetProperty("id").GetInt64(),
            attachment.GetProperty("message_id").GetInt64(), attachment.GetProperty("file_type").GetString(),
            attachment.GetProperty("extension").GetString(), attachment.GetProperty("account_id").GetInt64()));
        Assert.Equal(sent.Attachments[0].DataUrl, attachment.GetProperty("data_url").GetString());
        Assert.Equal(JsonValueKind.Number, attachment.GetProperty("file_size").ValueKind);
    }
}
