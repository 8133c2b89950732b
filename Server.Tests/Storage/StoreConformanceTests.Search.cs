using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Message search (issue 25) on every engine: each query word matches the start of a message's word, ignoring
/// case; every word must match; newest first, paged; private notes found, activity lines never; only the inboxes asked;
/// an edited text is found by its new words only.</summary>
public abstract partial class StoreConformanceTests
{
    private static Task<IReadOnlyList<MessageRow>> SearchAsync(IChatStore store, IReadOnlyList<long>? inboxes, string q, int offset = 0, int limit = 50) =>
        store.ReadAsync(r => r.SearchMessagesAsync(new MessageSearch(inboxes, SearchWords.Of(q), offset, limit)));

    [Fact]
    public async Task Message_search_matches_word_prefixes_of_every_word_newest_first_in_the_inboxes_asked()
    {
        var store = await FreshStoreAsync();
        var one = await SeedAsync(store);
        var other = await SeedAsync(store);
        var refund = await AppendAsync(store, one.ConversationId, "I would like a Refund for order 4711, please.");
        var refunded = await AppendAsync(store, one.ConversationId, "Your order was refunded yesterday", sender: (SenderTypes.Agent, one.AgentId));
        var note = await AppendAsync(store, one.ConversationId, "Refund approved by finance", Kind.PrivateNote, sender: (SenderTypes.Agent, one.AgentId));
        await AppendAsync(store, one.ConversationId, "refund assigned to someone", Kind.Activity);
        var elsewhere = await AppendAsync(store, other.ConversationId, "refund in another inbox; café olé");
        await AppendAsync(store, one.ConversationId, "prefund is not a match, nor is unrefundable");

        async Task AssertFound(string q, MessageRow[] expected, IReadOnlyList<long>? inboxes = null)
        {
            var found = await SearchAsync(store, inboxes ?? [one.InboxId], q);
            Assert.Equal(expected.Select(m => m.Id), found.Select(m => m.Id));
        }
        await AssertFound("refund", [note, refunded, refund]); // newest first; the note too; never the activity line
        await AssertFound("REFUN", [note, refunded, refund]); // a prefix, any case
        await AssertFound("refund order", [refunded, refund]); // every word
        await AssertFound("order, 4711!", [refund]); // punctuation is no word
        await AssertFound("efund", []); // a word's start, never its middle
        await AssertFound("refund", [elsewhere], [other.InboxId]);
        await AssertFound("refund", [elsewhere, note, refunded, refund], [one.InboxId, other.InboxId]);
        await AssertFound("café", [elsewhere], [other.InboxId]);
        Assert.Equal([elsewhere.Id, note.Id, refunded.Id, refund.Id], (await SearchAsync(store, null, "refund")).Select(m => m.Id)); // every inbox
        Assert.Empty(await SearchAsync(store, [], "refund"));
        Assert.Empty(await SearchAsync(store, [one.InboxId], "!!!")); // no word at all

        // Pages: offset and limit along the same order.
        Assert.Equal([refunded.Id], (await SearchAsync(store, [one.InboxId], "refund", offset: 1, limit: 1)).Select(m => m.Id));
        Assert.Equal([refund.Id], (await SearchAsync(store, [one.InboxId], "refund", offset: 2, limit: 5)).Select(m => m.Id));

        // The row comes back whole.
        AssertRow(refund, (await SearchAsync(store, [one.InboxId], "4711")).Single());
    }

    /// <summary>Takes a closed database back to the version before the search index (SQL step 19, LiteDB step 14): the
    /// index gone, as a database of that version has none.</summary>
    protected abstract Task UndoSearchIndexAsync(IStoreLocation location);

    [Fact]
    public async Task The_search_step_indexes_the_messages_stored_before_it()
    {
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var scene = await SeedAsync(store);
        var old = await AppendAsync(store, scene.ConversationId, "an invoice from before the upgrade");
        await AppendAsync(store, scene.ConversationId, "invoice sent", Kind.Activity);
        await CloseStoreAsync(store);
        await UndoSearchIndexAsync(location);

        store = await OpenStoreAsync(location);
        Assert.Equal([old.Id], (await SearchAsync(store, [scene.InboxId], "invoice")).Select(m => m.Id));
        var fresh = await AppendAsync(store, scene.ConversationId, "another invoice after it");
        Assert.Equal([fresh.Id, old.Id], (await SearchAsync(store, [scene.InboxId], "invoice")).Select(m => m.Id));
        await CloseStoreAsync(store);
        Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(location));
    }

    [Fact]
    public async Task Message_search_pages_run_through_thousands_of_messages_in_order()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var needles = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            var found = new List<long>();
            for (var i = 0; i < 6_000; i++)
            {
                var m = await AppendToAsync(w, c, i % 2_500 == 0 || i == 5_999 ? $"needle {i}" : $"hay {i}");
                if (m.Content.StartsWith("needle")) found.Add(m.Id);
            }
            return found;
        });
        needles.Reverse(); // newest first: 5999, 5000, 2500, 0
        Assert.Equal(needles, (await SearchAsync(store, [scene.InboxId], "needle")).Select(m => m.Id));
        Assert.Equal(needles[..2], (await SearchAsync(store, [scene.InboxId], "needle", limit: 2)).Select(m => m.Id));
        Assert.Equal(needles[2..], (await SearchAsync(store, [scene.InboxId], "needle", offset: 2, limit: 5)).Select(m => m.Id));
        Assert.Equal(20, (await SearchAsync(store, [scene.InboxId], "hay", limit: 20)).Count);
    }

    [Fact]
    public async Task Message_search_follows_a_changed_text()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var message = await AppendAsync(store, scene.ConversationId, "the parcel never arrived");
        await store.WriteAsync(async w =>
        {
            var stored = (await w.GetMessageAsync(message.Id))!;
            (stored.Content, stored.UpdatedAt) = ("the package arrived damaged", T0 + 100);
            await w.UpdateMessageAsync(stored);
            return 0;
        });
        Assert.Empty(await SearchAsync(store, [scene.InboxId], "parcel"));
        Assert.Equal([message.Id], (await SearchAsync(store, [scene.InboxId], "damaged package")).Select(m => m.Id));
        Assert.Equal([message.Id], (await SearchAsync(store, [scene.InboxId], "arrived")).Select(m => m.Id));
    }
}
