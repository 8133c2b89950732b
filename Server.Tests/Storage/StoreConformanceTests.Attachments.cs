using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The store contract's attachments (bytes stored and read in bounded slices, upload sums, expiry of pending
/// uploads, the upgrade of files stored before slices), inbox settings and CSAT rating, on every engine.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>Builds the database at the engine's last schema version before files were stored in slices, and stores
    /// one file there as that version did (its bytes in one value): inbox 1, its contact 1, and <paramref name="row"/>
    /// (uploaded by contact 1, pending) with <paramref name="data"/>. Sets the row's id.</summary>
    protected abstract Task StoreAttachmentBeforeSlicesAsync(IStoreLocation location, AttachmentRow row, byte[] data);

    protected static AttachmentRow NewAttachment(string uploaderType, long uploaderId, string name, string? extension, long size,
        long? inboxId = null, long createdAt = T0) => new()
    {
        Token = Guid.NewGuid().ToString("N"), UploaderType = uploaderType, UploaderId = uploaderId, InboxId = inboxId, FileName = name,
        FileType = extension == "png" ? AttachmentFileTypes.Image : AttachmentFileTypes.File, Extension = extension,
        ContentType = extension == "png" ? "image/png" : "application/octet-stream", FileSize = size, CreatedAt = createdAt,
    };

    /// <summary>Bytes that differ from slice to slice and within one (a slice read from the wrong place shows), made on
    /// the fly so a large file needs no array of its size.</summary>
    protected static byte PatternByte(long position, int seed) => (byte)(position * 7 + (position >> 8) * 13 + (position >> 16) * 31 + seed);

    protected static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => PatternByte(i, seed)).ToArray();

    /// <summary>A read-only stream of <see cref="PatternByte"/>s, as long as asked.</summary>
    protected sealed class PatternStream(long length, int seed) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            for (var i = 0; i < n; i++) buffer[offset + i] = PatternByte(Position + i, seed);
            Position += Math.Max(0, n);
            return Math.Max(0, n);
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin == SeekOrigin.Begin ? offset : Position + offset;
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static Task<long> InsertAsync(IChatStore store, AttachmentRow row, Stream content) =>
        store.WriteAsync(async w => row.Id = await w.InsertAttachmentAsync(row, content));

    private static Task<long> InsertAsync(IChatStore store, AttachmentRow row, byte[] data) => InsertAsync(store, row, new MemoryStream(data));

    /// <summary>A whole file, read as a download reads it: each slice in a read of its own, <paramref name="step"/> bytes at
    /// a time (not the engine's slice size, so reads cross slices).</summary>
    private static async Task<byte[]> ReadAllAsync(IChatStore store, AttachmentRow row, int step = 50_000)
    {
        var all = new byte[row.FileSize];
        var offset = 0;
        while (offset < all.Length)
        {
            var at = offset;
            var read = await store.ReadAsync(r => r.ReadAttachmentAsync(row.Id, at, all.AsMemory(at, Math.Min(step, all.Length - at))));
            Assert.True(read > 0, $"a read at {offset} of a {all.Length}-byte file answered nothing");
            offset += read;
        }
        return all;
    }

    private static Task<int> ReadAtAsync(IChatStore store, long id, long offset, byte[] into) =>
        store.ReadAsync(r => r.ReadAttachmentAsync(id, offset, into));

    [Fact]
    public async Task Attachments_round_trip_with_their_bytes_stay_pending_until_sent_and_list_by_message()
    {
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var scene = await SeedAsync(store);
        var big = new byte[3 * 1024 * 1024 + 7];
        Random.Shared.NextBytes(big);
        byte[] tiny = [0, 1, 2, 0xFF];
        var image = NewAttachment(SenderTypes.Contact, scene.ContactId, "photo — été.png", "png", big.Length, scene.InboxId);
        var other = NewAttachment(SenderTypes.Agent, scene.AgentId, "notes", null, tiny.Length);
        await store.WriteAsync(async w =>
        {
            image.Id = await w.InsertAttachmentAsync(image, new MemoryStream(big));
            other.Id = await w.InsertAttachmentAsync(other, new MemoryStream(tiny));
            return 0;
        });
        Assert.NotEqual(image.Id, other.Id);
        AssertRow(image, await store.ReadAsync(r => r.GetAttachmentAsync(image.Id)));
        AssertRow(other, await store.ReadAsync(r => r.GetAttachmentAsync(other.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetAttachmentAsync(other.Id + 1000)));

        AssertRow(image, await store.ReadAsync(r => r.FindAttachmentByTokenAsync(image.Token)));
        AssertRow(other, await store.ReadAsync(r => r.FindAttachmentByTokenAsync(other.Token)));
        Assert.Equal(big, await ReadAllAsync(store, image));
        Assert.Equal(tiny, await ReadAllAsync(store, other));
        // The token is the file's credential: matched exactly.
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentByTokenAsync(image.Token.ToUpperInvariant())));
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentByTokenAsync(image.Token[..^1])));

        var first = await AppendAsync(store, scene.ConversationId, "with files");
        var second = await AppendAsync(store, scene.ConversationId, "without");
        Assert.Empty(await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([first.Id, second.Id])));
        var attached = await store.WriteAsync(async w => (await w.AttachToMessageAsync(other.Id, first.Id), await w.AttachToMessageAsync(image.Id, first.Id)));
        Assert.Equal((true, true), attached);
        (image.MessageId, other.MessageId) = (first.Id, first.Id);
        var listed = await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([second.Id, first.Id]));
        Assert.Equal([image.Id, other.Id], listed.Select(a => a.Id));
        AssertRow(image, listed[0]);
        AssertRow(other, listed[1]);
        Assert.Empty(await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([second.Id])));
        Assert.Empty(await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([])));
        // Sent once: a second send of it, or of an unknown one, changes nothing.
        Assert.False(await store.WriteAsync(w => w.AttachToMessageAsync(image.Id, second.Id)));
        Assert.False(await store.WriteAsync(w => w.AttachToMessageAsync(other.Id + 1000, second.Id)));
        Assert.Equal(first.Id, (await store.ReadAsync(r => r.GetAttachmentAsync(image.Id)))!.MessageId);

        // Every node serves every file: another store on the database (or the one store, where only one may open it).
        var another = await AnotherStoreAsync(location, store);
        Assert.Equal(big, await ReadAllAsync(another, image, step: 65_536));
    }

    [Fact]
    public async Task A_read_answers_the_asked_slice_of_a_file_wherever_it_starts_and_nothing_past_its_end()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var data = Pattern(200_000, seed: 1);
        var row = NewAttachment(SenderTypes.Contact, scene.ContactId, "a.bin", "bin", data.Length, scene.InboxId);
        await InsertAsync(store, row, data);

        foreach (var (offset, length) in new[] { (0L, 1), (0, 16), (1, 65_535), (65_535, 2), (65_536, 65_536), (100_000, 100_000), (131_000, 1000), (199_999, 1) })
        {
            var into = new byte[length];
            Assert.Equal(length, await ReadAtAsync(store, row.Id, offset, into));
            Assert.Equal(data.AsSpan((int)offset, length).ToArray(), into);
        }
        // Asked for more than remains: what remains.
        var tail = new byte[10_000];
        Assert.Equal(5_000, await ReadAtAsync(store, row.Id, 195_000, tail));
        Assert.Equal(data[195_000..], tail[..5_000]);
        // At or past the end, or an unknown file: nothing.
        Assert.Equal(0, await ReadAtAsync(store, row.Id, 200_000, new byte[10]));
        Assert.Equal(0, await ReadAtAsync(store, row.Id, 1_000_000, new byte[10]));
        Assert.Equal(0, await ReadAtAsync(store, row.Id + 1000, 0, new byte[10]));
        Assert.Equal(0, await ReadAtAsync(store, row.Id, 0, []));
    }

    [Fact]
    public async Task A_file_larger_than_a_LiteDB_document_is_stored_and_read_in_slices()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        const long size = 17L * 1024 * 1024 + 3; // over LiteDB's 16 MB per document
        var row = NewAttachment(SenderTypes.Agent, scene.AgentId, "big.bin", "bin", size);
        await InsertAsync(store, row, new PatternStream(size, seed: 2));

        var slice = new byte[AttachmentChunks.Bytes];
        for (long offset = 0; offset < size; offset += slice.Length)
        {
            var read = await ReadAtAsync(store, row.Id, offset, slice);
            Assert.Equal((int)Math.Min(slice.Length, size - offset), read);
            for (var i = 0; i < read; i++)
                if (slice[i] != PatternByte(offset + i, 2)) Assert.Fail($"byte {offset + i} differs");
        }
    }

    [Fact]
    public async Task An_insert_stores_exactly_FileSize_bytes_and_content_that_ends_early_fails_the_command()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var content = new MemoryStream(Pattern(100_000, seed: 3));
        var row = NewAttachment(SenderTypes.Contact, scene.ContactId, "a.bin", "bin", 70_000, scene.InboxId);
        await InsertAsync(store, row, content);
        Assert.Equal(70_000, content.Position); // bytes after FileSize are not read
        Assert.Equal(Pattern(70_000, seed: 3), await ReadAllAsync(store, row));

        var cut = NewAttachment(SenderTypes.Contact, scene.ContactId, "cut.bin", "bin", 100_000, scene.InboxId);
        await Assert.ThrowsAsync<InvalidDataException>(() => InsertAsync(store, cut, new MemoryStream(Pattern(99_999, seed: 4))));
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentByTokenAsync(cut.Token)));
        Assert.Equal(0, await ReadAtAsync(store, cut.Id, 0, new byte[10]));
    }

    [Fact]
    public async Task A_failed_command_stores_none_of_its_attachments()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var row = NewAttachment(SenderTypes.Contact, scene.ContactId, "a.bin", "bin", 3);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(async w =>
        {
            row.Id = await w.InsertAttachmentAsync(row, new MemoryStream([1, 2, 3]));
            throw new InvalidOperationException("refused");
        }));
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentByTokenAsync(row.Token)));
        Assert.Equal(0, await ReadAtAsync(store, row.Id, 0, new byte[3]));
    }

    [Fact]
    public async Task Upload_sums_count_an_uploaders_and_an_inboxs_bytes_since_a_time_sent_or_pending()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var otherInbox = await store.WriteAsync(w => w.InsertInboxAsync(NewInbox()));
        var otherContact = await store.WriteAsync(w => w.InsertContactAsync(NewContact(otherInbox)));
        var message = await AppendAsync(store, scene.ConversationId, "with a file");
        var rows = new[]
        {
            NewAttachment(SenderTypes.Contact, scene.ContactId, "old", null, 1000, scene.InboxId, createdAt: T0 - 1), // before the window
            NewAttachment(SenderTypes.Contact, scene.ContactId, "a", null, 300, scene.InboxId, createdAt: T0),
            NewAttachment(SenderTypes.Contact, scene.ContactId, "b", null, 20, scene.InboxId, createdAt: T0 + 5),
            NewAttachment(SenderTypes.Contact, otherContact, "c", null, 4000, otherInbox, createdAt: T0 + 1),
            // An agent whose id is the contact's: another uploader, and no inbox's.
            NewAttachment(SenderTypes.Agent, scene.ContactId, "d", null, 50_000, createdAt: T0 + 2),
        };
        foreach (var row in rows) await InsertAsync(store, row, new PatternStream(row.FileSize, 0));
        Assert.True(await store.WriteAsync(w => w.AttachToMessageAsync(rows[2].Id, message.Id))); // sent ones count too

        Assert.Equal(new UploadedBytes(320, T0), await store.ReadAsync(r => r.UploadedBySenderSinceAsync(SenderTypes.Contact, scene.ContactId, T0)));
        Assert.Equal(new UploadedBytes(1320, T0 - 1), await store.ReadAsync(r => r.UploadedBySenderSinceAsync(SenderTypes.Contact, scene.ContactId, 0)));
        Assert.Equal(new UploadedBytes(50_000, T0 + 2), await store.ReadAsync(r => r.UploadedBySenderSinceAsync(SenderTypes.Agent, scene.ContactId, T0)));
        Assert.Equal(new UploadedBytes(0, null), await store.ReadAsync(r => r.UploadedBySenderSinceAsync(SenderTypes.Contact, scene.ContactId, T0 + 6)));
        Assert.Equal(new UploadedBytes(320, T0), await store.ReadAsync(r => r.UploadedInInboxSinceAsync(scene.InboxId, T0)));
        Assert.Equal(new UploadedBytes(20, T0 + 5), await store.ReadAsync(r => r.UploadedInInboxSinceAsync(scene.InboxId, T0 + 1)));
        Assert.Equal(new UploadedBytes(4000, T0 + 1), await store.ReadAsync(r => r.UploadedInInboxSinceAsync(otherInbox, 0)));
        Assert.Equal(new UploadedBytes(0, null), await store.ReadAsync(r => r.UploadedInInboxSinceAsync(otherInbox + 1000, 0)));
    }

    [Fact]
    public async Task Deleting_expired_pending_uploads_takes_them_with_their_bytes_oldest_first_and_never_a_sent_one()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var message = await AppendAsync(store, scene.ConversationId, "with a file");
        AttachmentRow Upload(string name, long createdAt) => NewAttachment(SenderTypes.Contact, scene.ContactId, name, null, 70_000, scene.InboxId, createdAt);
        var (oldest, older, sent, young) = (Upload("oldest", T0), Upload("older", T0 + 1), Upload("sent", T0), Upload("young", T0 + 10));
        foreach (var row in new[] { oldest, older, sent, young }) await InsertAsync(store, row, new PatternStream(row.FileSize, 5));
        Assert.True(await store.WriteAsync(w => w.AttachToMessageAsync(sent.Id, message.Id)));

        Assert.Equal(1, await store.WriteAsync(w => w.DeletePendingAttachmentsAsync(T0 + 10, max: 1)));
        Assert.Null(await store.ReadAsync(r => r.GetAttachmentAsync(oldest.Id)));
        Assert.Equal(0, await ReadAtAsync(store, oldest.Id, 0, new byte[10]));
        Assert.NotNull(await store.ReadAsync(r => r.GetAttachmentAsync(older.Id)));

        Assert.Equal(1, await store.WriteAsync(w => w.DeletePendingAttachmentsAsync(T0 + 10, max: 100)));
        Assert.Null(await store.ReadAsync(r => r.FindAttachmentByTokenAsync(older.Token)));
        Assert.Equal(0, await ReadAtAsync(store, older.Id, 65_536, new byte[10]));
        Assert.Equal(0, await store.WriteAsync(w => w.DeletePendingAttachmentsAsync(T0 + 10, max: 100)));
        // The sent one, as old, stays with its bytes; the young one is not expired yet; a deleted one cannot be sent.
        Assert.Equal(Pattern(70_000, 5), await ReadAllAsync(store, sent));
        Assert.Equal(Pattern(70_000, 5), await ReadAllAsync(store, young));
        Assert.False(await store.WriteAsync(w => w.AttachToMessageAsync(older.Id, message.Id)));
        Assert.Equal(new UploadedBytes(140_000, T0), await store.ReadAsync(r => r.UploadedBySenderSinceAsync(SenderTypes.Contact, scene.ContactId, 0)));
    }

    [Fact]
    public async Task A_file_stored_before_slices_reads_the_same_after_the_upgrade_and_counts_for_its_contacts_inbox()
    {
        var location = await LocationAsync();
        var data = Pattern(150_000, seed: 6);
        var row = NewAttachment(SenderTypes.Contact, 1, "old.bin", "bin", data.Length);
        await StoreAttachmentBeforeSlicesAsync(location, row, data);

        var store = await OpenStoreAsync(location);
        row.InboxId = 1; // filled in from its contact
        AssertRow(row, await store.ReadAsync(r => r.FindAttachmentByTokenAsync(row.Token)));
        Assert.Equal(data, await ReadAllAsync(store, row));
        Assert.Equal(new UploadedBytes(data.Length, T0), await store.ReadAsync(r => r.UploadedInInboxSinceAsync(1, 0)));
        Assert.Equal(1, await store.WriteAsync(w => w.DeletePendingAttachmentsAsync(T0 + 1, max: 10)));
        Assert.Equal(0, await ReadAtAsync(store, row.Id, 0, new byte[10]));
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
