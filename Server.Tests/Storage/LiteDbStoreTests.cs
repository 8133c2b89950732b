using ChatHub.Server.Storage;
using ChatHub.Server.Storage.LiteDb;
using ChatHub.Server.Tests.Infrastructure;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The store conformance suite on LiteDB: each test's database is a file in a fresh temp folder, opened with
/// the production settings (group commit, one fsync per batch). One process, and one store, per file: the tests that
/// share a database check that a second open is refused and share the one store.</summary>
public sealed class LiteDbStoreTests : StoreConformanceTests
{
    private sealed class LiteDbLocation(string directory) : IStoreLocation
    {
        public string Path { get; } = System.IO.Path.Combine(directory, "chathub.litedb");

        public ValueTask DisposeAsync()
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return ValueTask.CompletedTask;
        }
    }

    protected override Task<IStoreLocation> NewLocationAsync() =>
        Task.FromResult<IStoreLocation>(new LiteDbLocation(TempDirectory.Create().Path));

    // Off the caller's thread (as a server's start): stores opened at once really race for the file.
    protected override Task<IChatStore> OpenAsync(IStoreLocation location) =>
        Task.Run<IChatStore>(() => Open(((LiteDbLocation)location).Path));

    private static LiteDbChatStore Open(string path) =>
        new(Options.Create(new LiteDbOptions { Path = path }), NullLogger<LiteDbChatStore>.Instance);

    protected override Task<int> SchemaVersionAsync(IStoreLocation location)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = ((LiteDbLocation)location).Path, ReadOnly = true });
        return Task.FromResult(db.UserVersion);
    }

    protected override int LatestSchemaVersion => LiteDbSchema.LatestVersion;

    protected override Task StoreAttachmentBeforeSlicesAsync(IStoreLocation location, AttachmentRow row, byte[] data)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = ((LiteDbLocation)location).Path, Collation = Collation.Binary });
        LiteDbSchema.Migrate(db, upTo: 3); // step 4 put files in slices
        db.GetCollection(LiteDbSchema.Inboxes).Insert(new BsonDocument { ["_id"] = 1L, ["identifier"] = "old" });
        db.GetCollection(LiteDbSchema.Contacts).Insert(new BsonDocument { ["_id"] = 1L, ["inbox_id"] = 1L, ["source_key"] = "1|src" });
        row.Id = 1;
        db.GetCollection(LiteDbSchema.Attachments).Insert(new BsonDocument
        {
            ["_id"] = row.Id, ["token"] = row.Token, ["uploader_type"] = row.UploaderType, ["uploader_id"] = row.UploaderId,
            ["message_id"] = BsonValue.Null, ["message_key"] = BsonValue.Null, ["file_name"] = row.FileName, ["file_type"] = row.FileType,
            ["extension"] = row.Extension, ["content_type"] = row.ContentType, ["file_size"] = row.FileSize, ["created_at"] = row.CreatedAt,
        });
        db.GetCollection(LiteDbSchema.AttachmentData).Insert(new BsonDocument { ["_id"] = row.Id, ["data"] = data });
        return Task.CompletedTask;
    }

    protected override Task UndoSearchIndexAsync(IStoreLocation location)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = ((LiteDbLocation)location).Path, Collation = Collation.Binary });
        db.DropCollection(LiteDbSchema.MessageWords);
        db.UserVersion = LiteDbSchema.LatestVersion - 1;
        return Task.CompletedTask;
    }

    protected override Task StoreConversationsBeforeUnreadCountsAsync(IStoreLocation location,
        IReadOnlyList<(long? AgentLastSeenAt, OldMessage[] Messages)> conversations)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = ((LiteDbLocation)location).Path, Collation = Collation.Binary });
        LiteDbSchema.Migrate(db, upTo: 5); // step 6 added the unread counts
        var messageId = 0L;
        foreach (var (seen, index) in conversations.Select((c, i) => (c.AgentLastSeenAt, i)))
        {
            var id = index + 1L;
            db.GetCollection(LiteDbSchema.Conversations).Insert(new BsonDocument
            {
                ["_id"] = id, ["uuid"] = $"old-{id}", ["inbox_id"] = 1L, ["contact_id"] = 1L, ["status"] = "open",
                ["agent_last_seen_at"] = seen is { } at ? new BsonValue(at) : BsonValue.Null, ["created_at"] = 0L, ["last_activity_at"] = 0L,
                ["contact_key"] = LiteDbSchema.Key.Of(1, id), ["inbox_status_activity"] = LiteDbSchema.Key.Of(1, "open", 0, id),
            });
            foreach (var (m, seq) in conversations[index].Messages.Select((m, s) => (m, s + 1L)))
            {
                messageId++;
                db.GetCollection(LiteDbSchema.Messages).Insert(new BsonDocument
                {
                    ["_id"] = messageId, ["conversation_id"] = id, ["seq"] = seq, ["message_type"] = m.MessageType, ["content"] = "old",
                    ["created_at"] = m.CreatedAt, ["updated_at"] = m.CreatedAt, ["page_key"] = LiteDbSchema.Key.Of(id, messageId),
                    ["seq_key"] = LiteDbSchema.Key.Of(id, seq), ["echo_key"] = LiteDbSchema.Key.NoEcho(messageId),
                });
            }
        }
        return Task.CompletedTask;
    }

    protected override Task StoreConversationsBeforeReportsAsync(IStoreLocation location, IReadOnlyList<ReportOldConversation> conversations)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = ((LiteDbLocation)location).Path, Collation = Collation.Binary });
        LiteDbSchema.Migrate(db, upTo: 12); // step 13 added reports' fields
        var messageId = 0L;
        foreach (var (c, index) in conversations.Select((c, i) => (c, i)))
        {
            var id = index + 1L;
            db.GetCollection(LiteDbSchema.Conversations).Insert(new BsonDocument
            {
                ["_id"] = id, ["uuid"] = $"old-{id}", ["inbox_id"] = 1L, ["contact_id"] = 1L, ["status"] = c.Status,
                ["csat_rating"] = c.CsatRating is { } rating ? new BsonValue(rating) : BsonValue.Null, ["created_at"] = T0, ["last_activity_at"] = c.LastActivityAt,
                ["contact_key"] = LiteDbSchema.Key.Of(1, id), ["inbox_status_activity"] = LiteDbSchema.Key.Of(1, c.Status, c.LastActivityAt, id),
            });
            foreach (var (m, seq) in c.Messages.Select((m, s) => (m, s + 1L)))
            {
                messageId++;
                db.GetCollection(LiteDbSchema.Messages).Insert(new BsonDocument
                {
                    ["_id"] = messageId, ["conversation_id"] = id, ["seq"] = seq, ["message_type"] = m.MessageType, ["content"] = "old",
                    ["content_type"] = m.ContentType, ["private"] = m.Private, ["sender_type"] = m.SenderType, ["sender_id"] = 1L,
                    ["created_at"] = m.CreatedAt, ["updated_at"] = m.UpdatedAt, ["page_key"] = LiteDbSchema.Key.Of(id, messageId),
                    ["seq_key"] = LiteDbSchema.Key.Of(id, seq), ["echo_key"] = LiteDbSchema.Key.NoEcho(messageId),
                });
            }
        }
        return Task.CompletedTask;
    }

    protected override bool SeveralStoresPerDatabase => false;

    [Fact]
    public async Task A_second_store_on_the_same_file_is_refused_in_one_line_naming_the_file_until_the_first_closes()
    {
        var location = (LiteDbLocation)await LocationAsync();
        var store = await OpenStoreAsync(location);
        var refused = Assert.Throws<StorageConfigurationException>(() => Open(location.Path));
        Assert.Contains(location.Path, refused.Message);
        Assert.DoesNotContain('\n', refused.Message);

        await CloseStoreAsync(store);
        var reopened = await OpenStoreAsync(location);
        Assert.False(await reopened.ReadAsync(r => r.AnyInboxAsync()));
    }

    /// <summary>A read opens its snapshots through LiteDB's own transaction (LiteDbSnapshots), not with a query per
    /// collection: were a LiteDB upgrade to rename those internals, reads would silently go back to the slow way.
    /// That they still see one moment is A_read_sees_one_snapshot_while_writes_commit's.</summary>
    [Fact]
    public void Reads_open_their_snapshots_through_LiteDBs_transaction()
    {
        Assert.True(LiteDbSnapshots.IsDirect, "LiteDB's TransactionService.CreateSnapshot is not reachable: reads open snapshots by queries");
        using var db = new LiteDB.LiteDatabase(":memory:");
        Assert.False(LiteDbSnapshots.TryOpen(db, ["messages"])); // no transaction on this thread: nothing to open
        Assert.True(db.BeginTrans());
        Assert.True(LiteDbSnapshots.TryOpen(db, ["messages", "not-a-collection"]));
        db.Rollback();
    }

    [Fact]
    public async Task Commits_land_in_the_log_file_the_store_fsyncs_and_survive_a_reopen()
    {
        // The store fsyncs "<name>-log<ext>" by its name: were LiteDB to log elsewhere, commits would not be durable.
        var location = (LiteDbLocation)await LocationAsync();
        var store = await OpenStoreAsync(location);
        var logPath = Path.Combine(Path.GetDirectoryName(location.Path)!, "chathub-log.litedb");
        var scene = await SeedAsync(store);
        var sizeAfterSeed = new FileInfo(logPath).Length;
        Assert.True(sizeAfterSeed > 0, "LiteDB wrote its commit somewhere else than the log the store fsyncs");
        await AppendAsync(store, scene.ConversationId, "one more");
        Assert.True(new FileInfo(logPath).Length > sizeAfterSeed);

        await CloseStoreAsync(store);
        store = await OpenStoreAsync(location);
        Assert.Equal(1, (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!.Seq);
    }

    [Fact]
    public async Task Step_5_keys_a_conversation_by_contact_and_id_and_finds_attachments_by_message_id()
    {
        var location = (LiteDbLocation)await LocationAsync();
        using (var db = new LiteDatabase(new ConnectionString { Filename = location.Path, Collation = Collation.Binary }))
        {
            LiteDbSchema.Migrate(db, upTo: 4);
            db.GetCollection(LiteDbSchema.Inboxes).Insert(new BsonDocument { ["_id"] = 1L, ["identifier"] = "old", ["name"] = "Old" });
            foreach (var contact in new[] { 1L, 2L })
                db.GetCollection(LiteDbSchema.Contacts).Insert(new BsonDocument
                {
                    ["_id"] = contact, ["inbox_id"] = 1L, ["source_id"] = $"s{contact}", ["source_key"] = LiteDbSchema.Key.Of(1, $"s{contact}"),
                    ["pubsub_token_hash"] = $"h{contact}",
                });
            // As step 4 wrote them: three keys, two of which every message moved.
            foreach (var (id, contact, status, activity) in new[] { (1L, 1L, "open", 300L), (2L, 1L, "resolved", 100L), (3L, 2L, "open", 200L) })
                db.GetCollection(LiteDbSchema.Conversations).Insert(new BsonDocument
                {
                    ["_id"] = id, ["uuid"] = $"u{id}", ["inbox_id"] = 1L, ["contact_id"] = contact, ["status"] = status, ["seq"] = 0L,
                    ["contact_seq"] = 0L, ["created_at"] = 1L, ["last_activity_at"] = activity,
                    ["contact_activity"] = LiteDbSchema.Key.Of(contact, activity, id), ["inbox_activity"] = LiteDbSchema.Key.Of(1, activity, id),
                    [LiteDbSchema.ConversationOfInboxStatus] = LiteDbSchema.Key.Of(1, status, activity, id),
                });
            // As step 3 keyed them: message|id, a range per message.
            foreach (var (id, messageId) in new[] { (1L, (long?)7L), (2L, 9L), (3L, null) })
                db.GetCollection(LiteDbSchema.Attachments).Insert(new BsonDocument
                {
                    ["_id"] = id, ["token"] = $"t{id}", ["uploader_type"] = "contact", ["uploader_id"] = 1L, ["inbox_id"] = 1L,
                    ["message_id"] = messageId, ["message_key"] = messageId is { } m ? LiteDbSchema.Key.Of(m, id) : BsonValue.Null,
                    ["file_name"] = "a.txt", ["file_type"] = "file", ["content_type"] = "text/plain", ["file_size"] = 0L, ["created_at"] = 1L,
                });
        }

        var store = await OpenStoreAsync(location);
        Assert.Equal([1L, 2L], (await store.ReadAsync(r => r.ListConversationsOfContactAsync(1))).Select(c => c.Id));
        Assert.Equal([1L, 2L], (await store.ReadAsync(r => r.GetAttachmentsOfMessagesAsync([9, 7, 8]))).Select(a => a.Id));
        var all = await store.ReadAsync(r => r.ListConversationsAsync(new ConversationFilter([1], null, null, false, 0, 10)));
        Assert.Equal([1L, 3L, 2L], all.Page.Select(c => c.Id));
        Assert.Equal(3, all.Total);
        var open = await store.ReadAsync(r => r.ListConversationsAsync(new ConversationFilter([1], "open", null, false, 0, 1)));
        Assert.Equal([1L], open.Page.Select(c => c.Id));
        Assert.Equal(2, open.Total);
        // A message moves its conversation to the top of both lists.
        await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(2))!;
            c.LastActivityAt = 400;
            return await AppendToAsync(w, c, "back again");
        });
        Assert.Equal([2L, 1L], (await store.ReadAsync(r => r.ListConversationsOfContactAsync(1))).Select(c => c.Id));
        all = await store.ReadAsync(r => r.ListConversationsAsync(new ConversationFilter([1], null, null, false, 1, 2)));
        Assert.Equal([1L, 3L], all.Page.Select(c => c.Id));
        Assert.Equal(3, all.Total);
        await CloseStoreAsync(store);

        using var migrated = new LiteDatabase(new ConnectionString { Filename = location.Path, ReadOnly = true });
        Assert.Equal(LiteDbSchema.LatestVersion, migrated.UserVersion);
        var indexes = migrated.GetCollection("$indexes").FindAll().Where(i => i["collection"] == LiteDbSchema.Conversations).Select(i => i["name"].AsString).ToList();
        Assert.Contains(LiteDbSchema.ConversationOfContact, indexes);
        Assert.DoesNotContain("contact_activity", indexes);
        Assert.DoesNotContain("inbox_activity", indexes);
        var attachmentIndexes = migrated.GetCollection("$indexes").FindAll().Where(i => i["collection"] == LiteDbSchema.Attachments)
            .Select(i => i["name"].AsString).ToList();
        Assert.Contains(LiteDbSchema.AttachmentOfMessage, attachmentIndexes);
        Assert.DoesNotContain("message_key", attachmentIndexes);
        Assert.All(migrated.GetCollection(LiteDbSchema.Attachments).FindAll(), a => Assert.False(a.ContainsKey("message_key")));
        Assert.All(migrated.GetCollection(LiteDbSchema.Conversations).FindAll(), c =>
        {
            Assert.False(c.ContainsKey("contact_activity") || c.ContainsKey("inbox_activity"));
            Assert.Equal(LiteDbSchema.Key.Of(c["contact_id"].AsInt64, c["_id"].AsInt64), c[LiteDbSchema.ConversationOfContact].AsString);
        });
    }

    [Fact]
    public async Task History_pages_and_resyncs_are_index_range_scans()
    {
        var location = (LiteDbLocation)await LocationAsync();
        var store = await OpenStoreAsync(location);
        var scene = await SeedAsync(store);
        for (var i = 0; i < 5; i++) await AppendAsync(store, scene.ConversationId, $"m{i}");
        await CloseStoreAsync(store);

        using var db = new LiteDatabase(new ConnectionString { Filename = location.Path, ReadOnly = true });
        var messages = db.GetCollection(LiteDbSchema.Messages);
        var id = scene.ConversationId;
        foreach (var forContact in new[] { false, true })
        foreach (var (query, index, order) in new[]
        {
            (new MessageQuery(id, null, null, 51, forContact), LiteDbSchema.MessagePage, -1),
            (new MessageQuery(id, 3, null, 51, forContact), LiteDbSchema.MessagePage, -1),
            (new MessageQuery(id, null, 2, 51, forContact), forContact ? LiteDbSchema.MessageContactSeq : LiteDbSchema.MessageSeq, 1),
            (new MessageQuery(id, 4, 2, 51, forContact), forContact ? LiteDbSchema.MessageContactSeq : LiteDbSchema.MessageSeq, 1),
        })
        {
            var plan = LiteDbQueries.HistoryPage(messages, query).Query.GetPlan();
            // The index both selects the range and gives the order (no scan of the collection, no sort), and the
            // scan stops at the page's limit.
            Assert.Equal(index, plan["index"]["name"].AsString);
            Assert.StartsWith("INDEX RANGE SCAN", plan["index"]["mode"].AsString);
            Assert.Equal(order, plan["index"]["order"].AsInt32);
            Assert.False(plan.ContainsKey("orderBy"), plan.ToString());
            Assert.Equal(51, plan["limit"].AsInt32);
        }
        // A page's attachments: one query, an index seek per message.
        var attachmentsPlan = LiteDbQueries.AttachmentsOf(db.GetCollection(LiteDbSchema.Attachments), [1, 2, 3]).GetPlan();
        Assert.Equal(LiteDbSchema.AttachmentOfMessage, attachmentsPlan["index"]["name"].AsString);
        Assert.StartsWith("INDEX", attachmentsPlan["index"]["mode"].AsString);
    }

    [Fact]
    public void Query_values_are_parameters_so_that_LiteDB_compiles_each_query_text_once()
    {
        // LiteDB keeps a compiled delegate per distinct expression text for the life of the process: a key written
        // into the text would compile (about a millisecond) and stay in memory for every new key.
        var first = LiteDbQueries.Between(LiteDbSchema.MessagePage, LiteDbSchema.Key.Of(1, 1), LiteDbSchema.Key.Of(1, 2));
        var second = LiteDbQueries.Between(LiteDbSchema.MessagePage, LiteDbSchema.Key.Of(7, 1), LiteDbSchema.Key.Of(7, 9));
        Assert.Equal(first.Source, second.Source);
        Assert.Equal(LiteDbQueries.Equal("token", "a").Source, LiteDbQueries.Equal("token", "b").Source);
        Assert.Equal(LiteDbQueries.Below("_id", 1).Source, LiteDbQueries.Below("_id", 2).Source);
    }
}

/// <summary>A server on LiteDB keeps its data in a file beside the test's database path.</summary>
public sealed class LiteDbTestStoreSettings : ITestStoreSettings
{
    public string Provider => "LiteDb";
    public Task<IReadOnlyDictionary<string, string>> SettingsAsync(string dbPath) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Storage:LiteDb:Path"] = Path.ChangeExtension(dbPath, ".litedb"),
        });
}
