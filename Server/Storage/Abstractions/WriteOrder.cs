namespace ChatHub.Server.Storage;

/// <summary>Which writes must commit in the order they were handed over: those of one contact (its conversations'
/// seqs, and so the pushes of each conversation, follow commit order). A store with one writer keeps every write in
/// order; a store with several writers per node (PostgreSQL's lanes) gives the writes of one contact one writer, and
/// spreads the others. A write about a conversation may name just the conversation (an agent's command): the store
/// finds its contact, where it needs to.</summary>
public readonly record struct WriteOrder
{
    /// <summary>No contact's: in order with the other writes of no contact (administration, background work).</summary>
    public static readonly WriteOrder None = default;

    public long? ContactId { get; private init; }
    public long? ConversationId { get; private init; }

    public static WriteOrder OfContact(long contactId) => new() { ContactId = contactId };

    /// <summary>In order with every write of the conversation's contact.</summary>
    public static WriteOrder OfConversation(long conversationId) => new() { ConversationId = conversationId };
}
