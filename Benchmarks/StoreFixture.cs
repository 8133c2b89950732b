using ChatHub.Server.Storage;
using ChatHub.Server.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatHub.Benchmarks;

/// <summary>A real SQLite store in a temporary folder, with one inbox, contact and conversation.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("chathub-bench-").FullName;

    public StoreFixture(string synchronous = "FULL")
    {
        Store = new SqliteChatStore(Options.Create(new SqliteOptions
        {
            Path = Path.Combine(_directory, "bench.db"),
            Synchronous = synchronous,
        }), NullLogger<SqliteChatStore>.Instance);
        (ConversationId, ContactId) = Store.WriteAsync(async w =>
        {
            var inboxId = await w.InsertInboxAsync(new InboxRow { Identifier = "bench", Name = "Bench", HmacToken = "x", CreatedAt = 1 });
            var contactId = await w.InsertContactAsync(new ContactRow
            {
                InboxId = inboxId, SourceId = "source", PubsubToken = "token", PubsubTokenHash = "hash", Name = "Ann", CreatedAt = 1,
            });
            var conversationId = await w.InsertConversationAsync(new ConversationRow
            {
                Uuid = Guid.NewGuid().ToString(), InboxId = inboxId, ContactId = contactId, Status = "open", CreatedAt = 1, LastActivityAt = 1,
            });
            return (conversationId, contactId);
        }).GetAwaiter().GetResult();
    }

    public SqliteChatStore Store { get; }
    public long ConversationId { get; }
    public long ContactId { get; }

    /// <summary>What a SendMessage does in the writer: the conversation, duplicate check, next seq, insert.</summary>
    public Task<MessageRow> AppendAsync(string echoId) => Store.WriteAsync(async w =>
    {
        var c = (await w.GetConversationForUpdateAsync(ConversationId))!;
        if (await w.FindMessageByEchoAsync(c.Id, "contact", ContactId, echoId) is { } original) return original;
        await w.RecordChangeAsync(c, visibleToContact: true);
        var message = new MessageRow
        {
            ConversationId = c.Id, Seq = c.Seq, ContactSeq = c.ContactSeq, MessageType = 0, Content = "benchmark message",
            ContentType = "text", EchoId = echoId, SenderType = "contact", SenderId = ContactId, CreatedAt = c.Seq, UpdatedAt = c.Seq,
        };
        message.Id = await w.InsertMessageAsync(message);
        return message;
    });

    /// <summary>Fills the conversation with <paramref name="count"/> messages, 10,000 per command.</summary>
    public async Task SeedAsync(int count)
    {
        for (var done = 0; done < count; done += 10_000)
        {
            var batch = Math.Min(10_000, count - done);
            await Store.WriteAsync(async w =>
            {
                var c = (await w.GetConversationForUpdateAsync(ConversationId))!;
                for (var i = 0; i < batch; i++)
                {
                    await w.RecordChangeAsync(c, visibleToContact: true);
                    await w.InsertMessageAsync(new MessageRow
                    {
                        ConversationId = c.Id, Seq = c.Seq, ContactSeq = c.ContactSeq, MessageType = i % 2, Content = $"history {c.Seq}",
                        ContentType = "text", SenderType = "contact", SenderId = ContactId, CreatedAt = c.Seq, UpdatedAt = c.Seq,
                    });
                }
                return c.Seq;
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
