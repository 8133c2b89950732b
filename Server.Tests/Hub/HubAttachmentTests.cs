using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>The hub's attachment flow: upload over HTTP (a pending upload of the uploader), then SendMessage with its
/// id. Pushes carry the attachments; an upload is sent once, by its uploader only.</summary>
public sealed class HubAttachmentTests
{
    private static async Task<AttachmentDto> UploadAsCustomer(ChatScene scene, string name, byte[] bytes) =>
        await (await scene.Server.Http.PostAsync($"{scene.Server.ClientApi}/contacts/{scene.Contact.SourceId}/uploads",
            TestFiles.Form([], [(name, bytes, "application/octet-stream")], "attachment"))).Read<AttachmentDto>();

    private static async Task<AttachmentDto> UploadAsAgent(ChatScene scene, string name, byte[] bytes)
    {
        using var agent = scene.Server.AgentHttp(scene.Server.AgentToken);
        return await (await agent.PostAsync("/api/v1/uploads", TestFiles.Form([], [(name, bytes, "application/octet-stream")], "attachment")))
            .Read<AttachmentDto>();
    }

    [Fact]
    public async Task A_customers_upload_sent_by_id_reaches_the_agent_with_its_thumbnail_and_downloads_identical()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        var png = TestFiles.Png();
        var upload = await UploadAsCustomer(scene, "cat.png", png);

        var sent = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversation.Id, EchoId = "with-file", AttachmentIds = [upload.Id],
        });
        var attachment = Assert.Single(sent.Attachments);
        Assert.Equal((upload.Id, sent.Id, AttachmentFileTypes.Image), (attachment.Id, attachment.MessageId, attachment.FileType));
        Assert.Equal("", sent.Content);

        var pushed = await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
        Assert.Equal(attachment, Assert.Single(pushed.Message.Attachments));
        Assert.Equal(attachment.DataUrl, attachment.ThumbUrl);
        Assert.Equal(png, await scene.Server.Http.GetByteArrayAsync(attachment.DataUrl));

        // A retry of the same echoId answers the original, with its attachment.
        var retried = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversation.Id, EchoId = "with-file", AttachmentIds = [upload.Id],
        });
        Assert.Equal((sent.Id, attachment), (retried.Id, Assert.Single(retried.Attachments)));
        var history = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        Assert.Equal(attachment, Assert.Single(history.Messages.Single(m => m.Id == sent.Id).Attachments));
        Assert.Empty(history.Messages.First().Attachments);
    }

    [Fact]
    public async Task An_upload_is_sent_once_and_only_by_its_uploader()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        var customers = await UploadAsCustomer(scene, "a.png", TestFiles.Png());
        var agents = await UploadAsAgent(scene, "b.pdf", TestFiles.Pdf());

        await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = [customers.Id] });
        var again = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SendMessageAsync(
            new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = [customers.Id] }));
        Assert.Equal(ErrorCodes.Validation, again.Code);
        var notTheirs = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SendMessageAsync(
            new SendMessageRequest { ConversationId = conversation.Id, Content = "x", AttachmentIds = [agents.Id] }));
        Assert.Equal(ErrorCodes.Validation, notTheirs.Code);
        var missing = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SendMessageAsync(
            new SendMessageRequest { ConversationId = conversation.Id, Content = "x", AttachmentIds = [agents.Id + 100] }));
        Assert.Equal(ErrorCodes.Validation, missing.Code);

        // The agent's own upload goes out with the agent's message, to the customer.
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "your invoice", AttachmentIds = [agents.Id] });
        var atCustomer = await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        var pdf = Assert.Single(atCustomer.Message.Attachments);
        Assert.Equal((AttachmentFileTypes.File, "pdf", "b.pdf"), (pdf.FileType, pdf.Extension, pdf.FileName));
        Assert.Equal(TestFiles.Pdf(), await scene.Server.Http.GetByteArrayAsync(pdf.DataUrl));
    }

    [Fact]
    public async Task A_message_without_content_needs_a_file_and_takes_at_most_5()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        var empty = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SendMessageAsync(
            new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = [] }));
        Assert.Equal(ErrorCodes.Validation, empty.Code);
        var ids = new List<long>();
        for (var i = 0; i < 6; i++) ids.Add((await UploadAsCustomer(scene, $"{i}.png", TestFiles.Png(10))).Id);
        var six = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SendMessageAsync(
            new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = ids }));
        Assert.Equal(ErrorCodes.Validation, six.Code);
        var five = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = ids[..5] });
        Assert.Equal(ids[..5], five.Attachments.Select(a => a.Id));
    }
}
