using System.Collections.Concurrent;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>Several group-commit writers per node, each on a connection of its own, so that a node's writes are not
/// one statement at a time on one connection. A contact's writes (<see cref="WriteOrder"/>) all go to one lane, in the
/// order they came: its conversations' seqs are taken, committed and published in one order there, and a conversation
/// never has writes in two lanes at once. Writes of no contact go to lane 0. A write that names only a conversation
/// (an agent's) goes to its contact's lane: conversations never change contact, so that is looked up once and kept.</summary>
internal sealed class WriterLanes(GroupCommit[] lanes, Func<long, Task<long?>> contactOfConversation)
{
    /// <summary>Conversations whose contact is kept; past it the kept ones are forgotten (a lookup each, again).</summary>
    private const int MaxKeptConversations = 100_000;
    private readonly ConcurrentDictionary<long, long> _contactOf = new();

    public IReadOnlyList<GroupCommit> All => lanes;

    public async ValueTask<GroupCommit> ForAsync(WriteOrder order)
    {
        if (lanes.Length == 1) return lanes[0];
        var contactId = order.ContactId ?? (order.ConversationId is { } conversationId ? await ContactOfAsync(conversationId) : null);
        // A conversation that does not exist: its command fails on its own, in lane 0.
        return contactId is { } id ? lanes[(int)((ulong)id % (ulong)lanes.Length)] : lanes[0];
    }

    private async ValueTask<long?> ContactOfAsync(long conversationId)
    {
        if (_contactOf.TryGetValue(conversationId, out var known)) return known;
        if (await contactOfConversation(conversationId) is not { } contactId) return null;
        if (_contactOf.Count >= MaxKeptConversations) _contactOf.Clear();
        _contactOf[conversationId] = contactId;
        return contactId;
    }
}
