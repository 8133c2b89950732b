using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The store contract's attachments, inbox settings and CSAT rating, on every engine.</summary>
public abstract partial class StoreConformanceTests
{
    private static AttachmentRow NewAttachment(string uploaderType, long uploaderId, string name, string? extension, long size) => new()
    {
        Token = Guid.NewGuid().ToString("N"), UploaderType = uploaderType, UploaderId = uploaderId, FileName = name,
        FileType = extension == "png" ? AttachmentFileTypes.Image : AttachmentFileTypes.File, Extension = extension,
        ContentType = extension == "png" ? "image/png" : "application/octet-stream", FileSize = size, CreatedAt = T0,
    };

    [Fact]
    public async Task Attachments_round_trip_with_their_bytes_stay_pending_until_sent_and_list_by_message()
    {
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var scene = await SeedAsync(store);
        var big = new byte[3 * 1024 * 1024 + 7];
        Random.Shared.NextBytes(big);
        byte[] tiny = [0, 1, 2, 0xFF];
        var image = NewAttachment(SenderTypes.Contact, scene.ContactId, "photo — été.png", "png", big.Length);
        var other = NewAttachment(SenderTypes.Agent, scene.AgentId, "notes", null, tiny.Length);
        await store.WriteAsync(async w =>
        {
            image.Id = await w.InsertAttachmentAsync(image, big);
            other.Id = await w.InsertAttachmentAsync(other, tiny);
            return 0;
        });
        Assert.NotEqual(image.Id, other.Id);
        AssertRow(image, await store.ReadAsync(r => r.GetAttachmentAsync(image.Id)));
        AssertRow(other, await store.ReadAsync(r => r.GetAttachmentAsync(other.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetAttachmentAsync(other.Id + 1000)));

        var content = await store.ReadAsync(r => r.FindAttachmentContentAsync(image.Token));
        Assert.NotNull(content);
        AssertRow(image, content.Attachment);
        Assert.Equal(big, content.Data);
        Assert.Equal(tiny, (await store.ReadAsync(r => r.FindAttachmentContentAsync(other.Token)))!.Data);
        // The token is the file's credential: matched exactly.
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentContentAsync(image.Token.ToUpperInvariant())));
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentContentAsync(image.Token[..^1])));

        var first = await AppendAsync(store, scene.ConversationId, "with files");
        var second = await AppendAsync(store, scene.ConversationId, "without");
        Assert.Empty(await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([first.Id, second.Id])));
        await store.WriteAsync(async w =>
        {
            await w.AttachToMessageAsync(other.Id, first.Id);
            await w.AttachToMessageAsync(image.Id, first.Id);
            return 0;
        });
        (image.MessageId, other.MessageId) = (first.Id, first.Id);
        var listed = await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([second.Id, first.Id]));
        Assert.Equal([image.Id, other.Id], listed.Select(a => a.Id));
        AssertRow(image, listed[0]);
        AssertRow(other, listed[1]);
        Assert.Empty(await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([second.Id])));
        Assert.Empty(await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([])));

        // Every node serves every file: another store on the database (or the one store, where only one may open it).
        var another = await AnotherStoreAsync(location, store);
        Assert.Equal(big, (await another.ReadAsync(r => r.FindAttachmentContentAsync(image.Token)))!.Data);
    }

    [Fact]
    public async Task A_failed_command_stores_none_of_its_attachments()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var row = NewAttachment(SenderTypes.Contact, scene.ContactId, "a.bin", "bin", 3);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(async w =>
        {
            row.Id = await w.InsertAttachmentAsync(row, [1, 2, 3]);
            throw new InvalidOperationException("refused");
        }));
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentContentAsync(row.Token)));
    }

    [Fact]
    public async Task Inbox_settings_update_and_a_conversations_csat_rating_is_a_mutable_field()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var inbox = (await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId)))!;
        Assert.False(inbox.CsatSurveyEnabled);
        (inbox.Name, inbox.HmacMandatory, inbox.Timezone, inbox.WorkingHoursEnabled, inbox.WorkingHours, inbox.GreetingEnabled,
            inbox.GreetingMessage, inbox.CsatSurveyEnabled) = ("Renamed", true, "Asia/Tokyo", true, "[]", true, "Hi", true);
        var unchanged = (inbox.Identifier, inbox.HmacToken, inbox.CreatedAt);
        await store.WriteAsync(async w => { await w.UpdateInboxAsync(inbox); return 0; });
        var read = await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId));
        AssertRow(inbox, read);
        Assert.Equal(unchanged, (read!.Identifier, read.HmacToken, read.CreatedAt));

        Assert.Null((await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!.CsatRating);
        var rated = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            c.CsatRating = 4;
            await w.RecordChangeAsync(c, visibleToContact: true);
            return c;
        });
        AssertRow(rated, await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)));
        Assert.Equal(4, (await store.ReadAsync(r => r.ListConversationsOfContactAsync(scene.ContactId))).Single().CsatRating);
    }
}
