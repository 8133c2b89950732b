using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>The hub's attachment flow: upload over HTTP (a pending upload of the uploader), then SendMessage with its
/// id; pushes and history carry the attachments (an upload is sent once, by its uploader only: UseCases/Attachments).</summary>
public sealed class HubAttachmentTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static async Task<AttachmentDto> UploadAsCustomer(ChatScene scene, string name, byte[] bytes) =>
        await (await scene.Server.Http.PostAsync($"/public/api/v1/inboxes/{scene.InboxIdentifier}/contacts/{scene.Contact.SourceId}/uploads",
            TestFiles.Form([], [(name, bytes, "application/octet-stream")], "attachment"))).Read<AttachmentDto>();

    [Fact]
    public async Task A_customers_upload_sent_by_id_reaches_the_agent_with_its_thumbnail_and_downloads_identical()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
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
}
