namespace ChatHub.Client;

/// <summary>What the app has been handed of one conversation, and what waits for a missing seq. Touched only
/// on the connection's push queue.</summary>
internal sealed class ConversationStream(long conversationId, long lastSeq, long highestMessageId, ConversationState? state)
{
    public long ConversationId { get; } = conversationId;

    /// <summary>Every change up to this seq has been handed to the app (or was in a snapshot it was given).</summary>
    public long LastSeq { get; set; } = lastSeq;

    /// <summary>The app has every message of the conversation with an id up to this one. Ids grow in creation
    /// order, so a resync tells a message the app lacks (MessageCreated) from a change to one it has.</summary>
    public long HighestMessageId { get; set; } = highestMessageId;

    /// <summary>The conversation-level state last handed to the app; null when it never got one.</summary>
    public ConversationState? State { get; set; } = state;

    /// <summary>The server is known to be at least at this seq (e.g. a retried start's answer).</summary>
    public long ServerSeqAtLeast { get; set; } = lastSeq;

    /// <summary>Changes above <see cref="LastSeq"/> + 1, waiting for the ones before them.</summary>
    public SortedDictionary<long, Change> Held { get; } = [];

    /// <summary>True when something is known to be missing before what the app can be handed next.</summary>
    public bool HasGap => Held.Count > 0 ? Held.Keys.First() > LastSeq + 1 : ServerSeqAtLeast > LastSeq;

    /// <summary>The held change that comes next, if it is there.</summary>
    public bool TryTakeNext(out Change change)
    {
        foreach (var seq in Held.Keys.Where(s => s <= LastSeq).ToList())
        {
            Held.Remove(seq); // covered by a resync or a snapshot
        }
        if (Held.Count > 0 && Held.Keys.First() == LastSeq + 1)
        {
            change = Held[LastSeq + 1];
            Held.Remove(LastSeq + 1);
            return true;
        }
        change = null!;
        return false;
    }
}
