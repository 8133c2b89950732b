using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.ScaleOut;
using Xunit;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>Files live in the shared database, not on a node's disk: a file uploaded on node A downloads from node B.</summary>
public sealed class AttachmentAcrossNodesTests
{
    [Fact]
    public async Task A_file_uploaded_on_A_reaches_the_agent_on_B_and_downloads_identical_from_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await UploadOnADownloadFromB(nodes);
    }

    /// <summary>The body of the test above, on any two nodes (<see cref="PostgresAttachmentAcrossNodesTests"/> runs it on one
    /// PostgreSQL database).</summary>
    internal static async Task UploadOnADownloadFromB(TwoNodes nodes)
    {
        var contact = await nodes.A.CreateContact("Ann");
        var conversation = await nodes.A.StartConversation(contact, "hello");
        await using var agent = await HubSession.ConnectAsync(nodes.B, nodes.B.AgentToken);
        var png = TestFiles.Png(64 * 1024);

        var upload = await (await nodes.A.Http.PostAsync($"{nodes.A.ClientApi}/contacts/{contact.SourceId}/uploads",
            TestFiles.Form([], [("scan.png", png, "image/png")], "attachment"))).Read<AttachmentDto>();
        await using var customer = await HubSession.ConnectAsync(nodes.A, contact.PubsubToken);
        var sent = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, AttachmentIds = [upload.Id] });

        var pushed = await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
        var attachment = Assert.Single(pushed.Message.Attachments);
        var download = await nodes.B.Http.GetAsync(attachment.DataUrl);
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
    }
}

/// <summary><see cref="AttachmentAcrossNodesTests"/> on two nodes of one PostgreSQL database, each with a pool of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAttachmentAcrossNodesTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_file_uploaded_on_A_downloads_from_B_on_one_Postgres_database()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            await using var nodes = await TwoNodes.StartAsync(storage: PostgresTwoNodesTests.Storage(postgres, database));
            await AttachmentAcrossNodesTests.UploadOnADownloadFromB(nodes);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }
}
