using ChatHub.Server.Storage;
using ChatHub.Server.Storage.LiteDb;
using ChatHub.Server.Storage.Sqlite;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The embedded engines' group commit is flat combining (GroupCommit; issue 22): a caller that finds the
/// writer idle runs its batch itself, on its own thread, and is answered without a thread switch; callers that come
/// while a batch runs wait, and all of them are committed together in the next batch, in the order they came. The
/// conformance suite covers what every store promises (after-commit order, failures, snapshots); this covers how the
/// embedded writers get there.</summary>
public sealed class GroupCommitTests
{
    public static TheoryData<string> EmbeddedStores => ["sqlite", "litedb"];

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30); // against hanging, not a timing assertion

    [Theory]
    [MemberData(nameof(EmbeddedStores))]
    public async Task A_write_to_an_idle_writer_runs_on_the_callers_own_thread_and_is_answered_there(string engine)
    {
        var directory = TempDirectory.Create();
        await using var store = Open(engine, directory.Path);
        var inboxId = await store.WriteAsync(w => w.InsertInboxAsync(NewInbox()));

        // A thread of our own (no synchronization context, not the thread pool's): nothing else could run the batch.
        (int CommandThread, int CallerThread, bool AnsweredOnReturn, long ContactId) seen = default;
        var caller = new Thread(() =>
        {
            var commandThread = 0;
            var write = store.WriteAsync(w =>
            {
                commandThread = Environment.CurrentManagedThreadId;
                return w.InsertContactAsync(NewContact(inboxId));
            });
            seen = (commandThread, Environment.CurrentManagedThreadId, write.IsCompletedSuccessfully, write.GetAwaiter().GetResult());
        });
        caller.Start();
        Assert.True(caller.Join(Bound), "the write did not return");

        Assert.Equal(seen.CallerThread, seen.CommandThread);
        Assert.True(seen.AnsweredOnReturn, "the caller that ran the batch was not answered when WriteAsync returned");
        Assert.NotNull(await store.ReadAsync(r => r.GetContactAsync(seen.ContactId)));
    }

    [Theory]
    [MemberData(nameof(EmbeddedStores))]
    public async Task Writes_that_come_while_a_batch_runs_are_committed_together_after_it_in_the_order_they_came(string engine)
    {
        const int waiting = 40;
        var directory = TempDirectory.Create();
        await using var store = Open(engine, directory.Path);
        var inboxId = await store.WriteAsync(w => w.InsertInboxAsync(NewInbox()));

        // The first write holds its batch (and the writer) until released, on a thread of its own: it runs there.
        using var release = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();
        var first = Task.Factory.StartNew(() => store.WriteAsync(async w =>
        {
            running.Set();
            Assert.True(release.Wait(Bound), "the first write was never released");
            return await w.InsertContactAsync(NewContact(inboxId));
        }).GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(running.Wait(Bound), "the first write did not start");

        // These find a batch running: each is queued, none is answered while the first one holds the writer.
        var sessions = new IStoreTransaction[waiting];
        var writes = Enumerable.Range(0, waiting).Select(i => store.WriteAsync(w =>
        {
            sessions[i] = w;
            return w.InsertContactAsync(NewContact(inboxId));
        })).ToList();
        Assert.DoesNotContain(writes, w => w.IsCompleted);
        Assert.False(first.IsCompleted);

        release.Set();
        var firstId = await first.WaitAsync(Bound);
        var ids = await Task.WhenAll(writes).WaitAsync(Bound);

        // One batch took all of them (group commit under load), after the first, in the order they were queued.
        Assert.Single(sessions.Distinct());
        Assert.All(ids, id => Assert.True(id > firstId));
        Assert.Equal(ids.Order(), ids);
        foreach (var id in ids) Assert.NotNull(await store.ReadAsync(r => r.GetContactAsync(id)));
    }

    private static OpenStore Open(string engine, string directory) => engine switch
    {
        "sqlite" => new(new SqliteChatStore(Options.Create(new SqliteOptions { Path = Path.Combine(directory, "chathub.db") }),
            NullLogger<SqliteChatStore>.Instance)),
        _ => new(new LiteDbChatStore(Options.Create(new LiteDbOptions { Path = Path.Combine(directory, "chathub.litedb") }),
            NullLogger<LiteDbChatStore>.Instance)),
    };

    private static InboxRow NewInbox() => new()
    {
        Identifier = $"inbox-{Guid.NewGuid():N}", Name = "Inbox", HmacToken = $"hmac-{Guid.NewGuid():N}", CreatedAt = 1_760_000_000_000,
    };

    private static ContactRow NewContact(long inboxId) => new()
    {
        InboxId = inboxId, SourceId = $"source-{Guid.NewGuid():N}", PubsubToken = $"pst-{Guid.NewGuid():N}",
        PubsubTokenHash = $"psth-{Guid.NewGuid():N}", CreatedAt = 1_760_000_000_000,
    };

    /// <summary>A store the test disposes (which drains its writer) at its end.</summary>
    private sealed class OpenStore(IChatStore store) : IAsyncDisposable
    {
        public Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command) => store.WriteAsync(command);
        public Task<T> ReadAsync<T>(Func<IStoreReader, ValueTask<T>> query) => store.ReadAsync(query);
        public ValueTask DisposeAsync() => ((IAsyncDisposable)store).DisposeAsync();
    }
}
