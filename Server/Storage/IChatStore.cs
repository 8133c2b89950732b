namespace ChatHub.Server.Storage;

/// <summary>The one storage interface. Reads run on pooled connections; writes go through a single writer
/// that commits concurrent commands in batches and completes each only after its batch is durable.</summary>
public interface IChatStore
{
    T Read<T>(Func<IChatReader, T> query);

    /// <summary>Runs <paramref name="command"/> inside the writer's transaction. If it throws, only its own
    /// changes are rolled back and the exception is rethrown to the caller; otherwise the returned task
    /// completes after the batch it belongs to has committed.</summary>
    Task<T> WriteAsync<T>(Func<IChatWriter, T> command, CancellationToken cancellationToken = default);
}

public interface IChatReader
{
    InboxRow? FindInboxByIdentifier(string identifier);
    InboxRow? GetInbox(long id);
    IReadOnlyList<InboxRow> ListInboxes();
    IReadOnlyList<long> InboxIdsOfAgent(long agentId);
    bool IsMember(long inboxId, long agentId);
    IReadOnlyList<long> MembersOf(long inboxId);

    AgentRow? FindAgentByTokenHash(string accessTokenHash);
    AgentRow? FindAgentByEmail(string email);
    AgentRow? GetAgent(long id);
    bool AnyInbox();

    ContactRow? FindContactBySourceId(long inboxId, string sourceId);
    ContactRow? FindContactByTokenHash(string pubsubTokenHash);
    /// <summary>Only contacts whose identifier was proven by an HMAC hash: an unproven one is never handed out.</summary>
    ContactRow? FindVerifiedContactByIdentifier(long inboxId, string identifier);
    ContactRow? GetContact(long id);

    ConversationRow? GetConversation(long id);
    IReadOnlyList<ConversationRow> ListConversationsOfContact(long contactId);
    (IReadOnlyList<ConversationRow> Page, int Total) ListConversations(ConversationFilter filter);

    MessageRow? GetMessage(long id);
    MessageRow? FindMessageByEcho(long conversationId, string senderType, long senderId, string echoId);
    /// <summary>The conversation a contact started with this echoId on its first message, if any.</summary>
    long? FindConversationStartedWith(long contactId, string echoId);
    IReadOnlyList<MessageRow> GetMessages(MessageQuery query);
}

public interface IChatWriter : IChatReader
{
    long InsertInbox(InboxRow inbox);
    long InsertAgent(AgentRow agent);
    void AddMember(long inboxId, long agentId);
    void SetAvailability(long agentId, string availability);
    long InsertContact(ContactRow contact);
    void UpdateContact(ContactRow contact);
    long InsertConversation(ConversationRow conversation);
    void UpdateConversation(ConversationRow conversation);
    long InsertMessage(MessageRow message);
    void UpdateMessage(MessageRow message);

    /// <summary>Runs after this command's batch commits, in commit order (never if the command fails).</summary>
    void AfterCommit(Action action);
}
