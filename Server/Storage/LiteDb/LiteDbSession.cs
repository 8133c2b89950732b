using ChatHub.Contracts;
using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>The store's queries on LiteDB, inside the calling thread's LiteDB transaction (LiteDB binds a transaction
/// to its thread): a reader's snapshot, or the writer's transaction of one command. LiteDB answers synchronously, so
/// every ValueTask here is already complete. Every lookup is an index seek or range scan over a key field
/// (<see cref="LiteDbSchema"/>); rows found by key are checked field by field, so a lookup is exact.</summary>
internal sealed partial class LiteDbSession(LiteDatabase db, LiteDbIds? ids, AfterCommitActions? afterCommit) : IStoreTransaction
{
    private readonly ILiteCollection<BsonDocument> _inboxes = db.GetCollection(Inboxes);
    private readonly ILiteCollection<BsonDocument> _agents = db.GetCollection(Agents);
    private readonly ILiteCollection<BsonDocument> _members = db.GetCollection(Members);
    private readonly ILiteCollection<BsonDocument> _contacts = db.GetCollection(Contacts);
    private readonly ILiteCollection<BsonDocument> _conversations = db.GetCollection(Conversations);
    private readonly ILiteCollection<BsonDocument> _messages = db.GetCollection(Messages);
    private readonly ILiteCollection<BsonDocument> _attachments = db.GetCollection(Attachments);
    private readonly ILiteCollection<BsonDocument> _attachmentChunks = db.GetCollection(AttachmentChunkDocuments);

    /// <summary>The collections a read sees as of one moment: their snapshots open together, under the store's commit
    /// gate (LiteDB takes a collection's snapshot when the transaction first reads it).</summary>
    private static readonly string[] SnapshotCollections =
    [
        Inboxes, Agents, Members, Contacts, Conversations, Messages, Webhooks, WebhookDeliveries, Attachments, AttachmentChunkDocuments,
        Labels, AgentSecrets, AgentAvatars, Teams, TeamMembers, CannedResponses, ContactNotes, Campaigns, MessageWords,
    ];

    /// <summary>Takes the transaction's snapshot of every collection now: directly (<see cref="LiteDbSnapshots"/>), or
    /// by touching each with a query.</summary>
    internal void OpenSnapshots()
    {
        if (LiteDbSnapshots.TryOpen(db, SnapshotCollections)) return;
        foreach (var name in SnapshotCollections) db.GetCollection(name).FindById(0);
    }

    private static IEnumerable<BsonDocument> Range(ILiteCollection<BsonDocument> collection, string index, (string From, string To) range,
        bool descending, int limit = int.MaxValue) =>
        LiteDbQueries.Range(collection, index, range, descending, limit: limit).ToEnumerable();

    private static IEnumerable<BsonDocument> Equal(ILiteCollection<BsonDocument> collection, string index, string key) =>
        collection.Find(LiteDbQueries.Equal(index, key));

    // ---- reads

    private InboxRow? FindInboxByIdentifier(string identifier) =>
        Equal(_inboxes, InboxIdentifier, identifier).Select(ToInbox).FirstOrDefault(i => i.Identifier == identifier);
    private InboxRow? GetInbox(long id) => _inboxes.FindById(id) is { } d ? ToInbox(d) : null;
    private IReadOnlyList<InboxRow> ListInboxes() => _inboxes.FindAll().Select(ToInbox).OrderBy(i => i.Id).ToList();
    private bool AnyInbox() => _inboxes.Query().Limit(1).ToEnumerable().Any();

    private IReadOnlyList<long> InboxIdsOfAgent(long agentId) =>
        Range(_members, MemberByAgent, Key.Prefix(Key.Number(agentId) + "|"), descending: false).Select(d => d["inbox_id"].AsInt64).ToList();
    private bool IsMember(long inboxId, long agentId) => _members.FindById(Key.Of(inboxId, agentId)) is not null;
    private IReadOnlyList<long> MembersOf(long inboxId) =>
        Range(_members, "_id", Key.Prefix(Key.Number(inboxId) + "|"), descending: false).Select(d => d["agent_id"].AsInt64).ToList();

    private AgentRow? FindAgentByTokenHash(string hash) =>
        Equal(_agents, AgentTokenHash, hash).Select(ToAgent).FirstOrDefault(a => a.AccessTokenHash == hash);
    private AgentRow? FindAgentByEmail(string email) =>
        Equal(_agents, AgentEmailKey, Key.Email(email)).Select(ToAgent).FirstOrDefault();
    private IReadOnlyList<AgentRow> ListAgents() => _agents.FindAll().Select(ToAgent).OrderBy(a => a.Id).ToList();
    private AgentRow? GetAgent(long id) => _agents.FindById(id) is { } d ? ToAgent(d) : null;

    private ContactRow? FindContactBySourceId(long inboxId, string sourceId) =>
        Equal(_contacts, ContactSource, Key.Of(inboxId, sourceId)).Select(ToContact).FirstOrDefault(c => c.InboxId == inboxId && c.SourceId == sourceId);
    private ContactRow? FindContactByTokenHash(string hash) =>
        Equal(_contacts, ContactTokenHash, hash).Select(ToContact).FirstOrDefault(c => c.PubsubTokenHash == hash);
    private ContactRow? FindVerifiedContactByIdentifier(long inboxId, string identifier) =>
        Equal(_contacts, ContactIdentifier, Key.Of(inboxId, identifier)).Select(ToContact)
            .Where(c => c.HmacVerified && c.InboxId == inboxId && c.Identifier == identifier).MinBy(c => c.Id);
    private ContactRow? GetContact(long id) => _contacts.FindById(id) is { } d ? ToContact(d) : null;

    private ConversationRow? GetConversation(long id) => _conversations.FindById(id) is { } d ? ToConversation(d) : null;
    private IReadOnlyList<ConversationRow> ListConversationsOfContact(long contactId) =>
        Range(_conversations, ConversationOfContact, Key.Prefix(Key.Number(contactId) + "|"), descending: false).Select(ToConversation)
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id).ToList();

    /// <summary>Per inbox, a range scan of (inbox, status, activity, id): of one status when the filter names one, of
    /// every status otherwise. Every match is counted (as SQLite's COUNT(*)); the page is the top offset + limit by
    /// (activity, id), newest first, kept in a heap of that size.</summary>
    private (IReadOnlyList<ConversationRow> Page, int Total) ListConversations(ConversationFilter filter)
    {
        if (filter.InboxIds.Count == 0) return ([], 0);
        var wanted = filter.Offset + filter.Limit;
        var top = new PriorityQueue<ConversationRow, (long Activity, long Id)>(); // the oldest of the kept ones first
        var total = 0;
        foreach (var inboxId in filter.InboxIds.Distinct())
        {
            var prefix = filter.Status is null ? $"{Key.Number(inboxId)}|" : $"{Key.Number(inboxId)}|{Key.Text(filter.Status)}|";
            foreach (var c in Range(_conversations, ConversationOfInboxStatus, Key.Prefix(prefix), descending: true).Select(ToConversation))
            {
                if (filter.AssigneeId is { } assignee && c.AssigneeId != assignee) continue;
                if (filter.UnassignedOnly && c.AssigneeId is not null) continue;
                if (filter.AssignedOnly && c.AssigneeId is null) continue;
                if (filter.TeamId is { } team && c.TeamId != team) continue;
                if (filter.Labels is { Count: > 0 } labels && !ConversationSearch.HasAnyLabel(c, labels)) continue;
                if (filter.Search is { } search && !ConversationSearch.Matches(c, GetContact(c.ContactId), search)) continue;
                total++;
                if (wanted == 0) continue;
                if (top.Count < wanted) top.Enqueue(c, (c.LastActivityAt, c.Id));
                else if (top.TryPeek(out _, out var oldest) && (c.LastActivityAt, c.Id).CompareTo(oldest) > 0) top.EnqueueDequeue(c, (c.LastActivityAt, c.Id));
            }
        }
        var page = top.UnorderedItems.Select(kept => kept.Element).OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)
            .Skip(filter.Offset).Take(filter.Limit).ToList();
        return (page, total);
    }

    /// <summary>Every contact of the inboxes (a range scan of (inbox, source id) per inbox, or the whole collection),
    /// matched in memory as <see cref="ContactSearch"/> says; every match is counted, the page kept in a heap of
    /// offset + limit by id, newest first.</summary>
    private (IReadOnlyList<ContactRow> Page, int Total) ListContacts(ContactFilter filter)
    {
        var candidates = filter.InboxIds is null
            ? _contacts.FindAll()
            : filter.InboxIds.Distinct().SelectMany(inboxId => Range(_contacts, ContactSource, Key.Prefix(Key.Number(inboxId) + "|"), descending: false));
        var wanted = filter.Offset + filter.Limit;
        var top = new PriorityQueue<ContactRow, long>(); // the oldest kept first
        var total = 0;
        foreach (var contact in candidates.Select(ToContact))
        {
            if (filter.Search is { } search && !ContactSearch.Matches(contact, search)) continue;
            total++;
            if (wanted == 0) continue;
            if (top.Count < wanted) top.Enqueue(contact, contact.Id);
            else if (top.TryPeek(out _, out var oldest) && contact.Id > oldest) top.EnqueueDequeue(contact, contact.Id);
        }
        return (top.UnorderedItems.Select(kept => kept.Element).OrderByDescending(c => c.Id).Skip(filter.Offset).Take(filter.Limit).ToList(), total);
    }

    private MessageRow? GetMessage(long id) => _messages.FindById(id) is { } d ? ToMessage(d) : null;
    private MessageRow? FindMessageByEcho(long conversationId, string senderType, long senderId, string echoId) =>
        Equal(_messages, MessageEcho, Key.Echo(senderType, senderId, echoId, conversationId)).Select(ToMessage).FirstOrDefault(m =>
            m.ConversationId == conversationId && m.SenderType == senderType && m.SenderId == senderId && m.EchoId == echoId);
    private long? FindConversationStartedWith(long contactId, string echoId) =>
        Range(_messages, MessageEcho, Key.Prefix(Key.EchoOfSender(SenderTypes.Contact, contactId, echoId)), descending: false)
            .Select(ToMessage).FirstOrDefault(m => m.SenderType == SenderTypes.Contact && m.SenderId == contactId && m.EchoId == echoId && m.ContactSeq == 1)
            ?.ConversationId;

    private IReadOnlyList<MessageRow> GetMessages(MessageQuery q)
    {
        var (query, newestFirst) = LiteDbQueries.HistoryPage(_messages, q);
        var page = query.ToEnumerable().Select(ToMessage).ToList();
        if (newestFirst) page.Reverse();
        return page;
    }

    // ---- writes (the writer's thread only: it allocates ids)

    private LiteDbIds Ids => ids ?? throw new InvalidOperationException("a write needs the writer's transaction");

    /// <summary>Every write goes through here: the batch replays them when a later command fails (<see cref="LiteDbWrites"/>).</summary>
    internal LiteDbWrites Writes => _writes ??= ids is null ? throw new InvalidOperationException("a write needs the writer's transaction") : new(db);
    private LiteDbWrites? _writes;

    private long InsertInbox(InboxRow inbox) => Insert(_inboxes, WithId(ToDocument(inbox), Ids.Next(Inboxes)));
    private long InsertAgent(AgentRow agent) => Insert(_agents, WithId(ToDocument(agent), Ids.Next(Agents)));

    private void AddMember(long inboxId, long agentId)
    {
        _ = Ids;
        Writes.Upsert(_members, new BsonDocument
        {
            ["_id"] = Key.Of(inboxId, agentId), ["inbox_id"] = inboxId, ["agent_id"] = agentId, [MemberByAgent] = Key.Of(agentId, inboxId),
        });
    }

    private bool RemoveMember(long inboxId, long agentId)
    {
        _ = Ids;
        return Writes.Delete(_members, Key.Of(inboxId, agentId));
    }

    private void SetAvailability(long agentId, string availability)
    {
        _ = Ids;
        if (_agents.FindById(agentId) is not { } agent) return;
        agent["availability"] = availability;
        Writes.Update(_agents, agent);
    }

    private void SetDeactivated(long agentId, long? deactivatedAt)
    {
        _ = Ids;
        if (_agents.FindById(agentId) is not { } agent) return;
        agent["deactivated_at"] = deactivatedAt is { } at ? new BsonValue(at) : BsonValue.Null;
        Writes.Update(_agents, agent);
    }

    private void SetAgentTokens(long agentId, string accessTokenHash, string pubsubToken)
    {
        _ = Ids;
        if (_agents.FindById(agentId) is not { } agent) return;
        agent[AgentTokenHash] = accessTokenHash;
        agent[AgentPubsubToken] = pubsubToken;
        Writes.Update(_agents, agent);
    }

    private long InsertContact(ContactRow contact) => Insert(_contacts, WithId(ToDocument(contact), Ids.Next(Contacts)));

    private void UpdateContact(ContactRow c)
    {
        _ = Ids;
        if (GetContact(c.Id) is not { } stored) return;
        RowShape<ContactRow>.Instance.CopyChangeable(c, stored);
        Writes.Update(_contacts, ToDocument(stored));
    }

    private long InsertConversation(ConversationRow conversation)
    {
        var row = conversation.Snapshot();
        (row.Id, row.Seq, row.ContactSeq) = (Ids.Next(Conversations), 0, 0);
        return Insert(_conversations, ToDocument(row));
    }

    private void RecordChange(ConversationRow c, bool visibleToContact)
    {
        _ = Ids;
        var stored = GetConversation(c.Id) ?? throw new InvalidOperationException($"conversation {c.Id} does not exist");
        var (seq, contactSeq) = (stored.Seq + 1, stored.ContactSeq + (visibleToContact ? 1 : 0));
        RowShape<ConversationRow>.Instance.CopyChangeable(c, stored);
        (stored.Seq, stored.ContactSeq) = (seq, contactSeq);
        Writes.Update(_conversations, ToDocument(stored));
        (c.Seq, c.ContactSeq) = (seq, contactSeq);
    }

    private long InsertMessage(MessageRow message)
    {
        var row = message.Snapshot();
        row.Id = Ids.Next(Messages);
        Insert(_messages, ToDocument(row));
        IndexWords(row);
        return row.Id;
    }

    private void UpdateMessage(MessageRow m)
    {
        _ = Ids;
        if (GetMessage(m.Id) is not { } stored) return;
        var oldText = stored.Content;
        RowShape<MessageRow>.Instance.CopyChangeable(m, stored);
        Writes.Update(_messages, ToDocument(stored));
        if (stored.Content != oldText)
        {
            UnindexWords(new MessageRow { Id = stored.Id, MessageType = stored.MessageType, Content = oldText });
            IndexWords(stored);
        }
    }

    private AttachmentRow? GetAttachment(long id) => _attachments.FindById(id) is { } d ? ToAttachment(d) : null;

    private IReadOnlyList<AttachmentRow> GetAttachmentsOfMessages(IReadOnlyList<long> messageIds) => messageIds.Count == 0 ? []
        : LiteDbQueries.AttachmentsOf(_attachments, messageIds).ToEnumerable().Select(ToAttachment).OrderBy(a => a.Id).ToList();

    private AttachmentRow? FindAttachmentByToken(string token) =>
        Equal(_attachments, AttachmentToken, token).Select(ToAttachment).FirstOrDefault(a => a.Token == token);

    /// <summary>The slices that hold [offset, offset + into.Length), by their keys, each copied from where the range
    /// starts in it.</summary>
    private int ReadAttachment(long attachmentId, long offset, Memory<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var copied = 0;
        while (copied < into.Length)
        {
            var position = offset + copied;
            if (_attachmentChunks.FindById(Key.Of(attachmentId, position / AttachmentChunks.Bytes)) is not { } chunk) break;
            var data = chunk["data"].AsBinary;
            var within = (int)(position % AttachmentChunks.Bytes);
            if (within >= data.Length) break; // past the end of the last slice
            var length = Math.Min(data.Length - within, into.Length - copied);
            data.AsSpan(within, length).CopyTo(into.Span[copied..]);
            copied += length;
            if (within + length < AttachmentChunks.Bytes && copied < into.Length) break; // the file's last slice ended
        }
        return copied;
    }

    private UploadedBytes UploadedBySenderSince(string uploaderType, long uploaderId, long since)
    {
        var prefix = $"{Key.Number(uploaderId)}|{Key.Text(uploaderType)}|";
        return Sum(Range(_attachments, UploadOfSender, (prefix + Key.Number(since), prefix + '\uffff'), descending: false).Select(ToAttachment)
            .Where(a => a.UploaderType == uploaderType && a.UploaderId == uploaderId && a.CreatedAt >= since));
    }

    private UploadedBytes UploadedInInboxSince(long inboxId, long since)
    {
        var prefix = Key.Number(inboxId) + "|";
        return Sum(Range(_attachments, UploadOfInbox, (prefix + Key.Number(since), prefix + '\uffff'), descending: false).Select(ToAttachment)
            .Where(a => a.InboxId == inboxId && a.CreatedAt >= since));
    }

    private static UploadedBytes Sum(IEnumerable<AttachmentRow> uploads)
    {
        var (bytes, oldest) = (0L, (long?)null);
        foreach (var upload in uploads) (bytes, oldest) = (bytes + upload.FileSize, Math.Min(oldest ?? long.MaxValue, upload.CreatedAt));
        return new UploadedBytes(bytes, oldest);
    }

    private long InsertAttachment(AttachmentRow attachment, Stream content)
    {
        var row = attachment.Snapshot();
        row.Id = Ids.Next(Attachments);
        long stored = 0;
        for (long seq = 0; stored < row.FileSize; seq++)
        {
            // A document owns its binary: one array per slice.
            var slice = new byte[Math.Min(AttachmentChunks.Bytes, row.FileSize - stored)];
            if (AttachmentChunks.Fill(content, slice) is var read && read < slice.Length) throw AttachmentChunks.EndedEarly(stored + read, row.FileSize);
            Writes.Insert(_attachmentChunks, ChunkDocument(row.Id, seq, slice));
            stored += slice.Length;
        }
        return Insert(_attachments, ToDocument(row));
    }

    private bool AttachToMessage(long attachmentId, long messageId)
    {
        _ = Ids;
        if (GetAttachment(attachmentId) is not { MessageId: null } stored) return false;
        stored.MessageId = messageId;
        Writes.Update(_attachments, ToDocument(stored));
        return true;
    }

    private int DeletePendingAttachments(long createdBefore, int max)
    {
        _ = Ids;
        // Keys are created|id: every key of an upload created before createdBefore sorts below that number alone, and
        // a string range leaves out the null keys of sent attachments.
        var expired = Range(_attachments, PendingUpload, ("", Key.Number(createdBefore)), descending: false, limit: max).Select(ToAttachment)
            .Where(a => a.MessageId is null && a.CreatedAt < createdBefore).ToList();
        foreach (var attachment in expired)
        {
            Writes.DeleteMany(_attachmentChunks, LiteDbQueries.Between("_id", Key.Of(attachment.Id, 0), Key.Of(attachment.Id, long.MaxValue)));
            Writes.Delete(_attachments, attachment.Id);
        }
        return expired.Count;
    }

    private void UpdateInbox(InboxRow i)
    {
        _ = Ids;
        if (GetInbox(i.Id) is not { } stored) return;
        RowShape<InboxRow>.Instance.CopyChangeable(i, stored);
        Writes.Update(_inboxes, ToDocument(stored));
    }

    private long Insert(ILiteCollection<BsonDocument> collection, BsonDocument document)
    {
        Writes.Insert(collection, document);
        return document["_id"].AsInt64;
    }

    private static BsonDocument WithId(BsonDocument document, long id)
    {
        document["_id"] = id;
        return document;
    }

    // ---- the contract

    public ValueTask<InboxRow?> FindInboxByIdentifierAsync(string identifier) => new(FindInboxByIdentifier(identifier));
    public ValueTask<InboxRow?> GetInboxAsync(long id) => new(GetInbox(id));
    public ValueTask<IReadOnlyList<InboxRow>> ListInboxesAsync() => new(ListInboxes());
    public ValueTask<bool> AnyInboxAsync() => new(AnyInbox());
    public ValueTask<IReadOnlyList<long>> InboxIdsOfAgentAsync(long agentId) => new(InboxIdsOfAgent(agentId));
    public ValueTask<bool> IsMemberAsync(long inboxId, long agentId) => new(IsMember(inboxId, agentId));
    public ValueTask<IReadOnlyList<long>> MembersOfAsync(long inboxId) => new(MembersOf(inboxId));
    public ValueTask<AgentRow?> FindAgentByTokenHashAsync(string accessTokenHash) => new(FindAgentByTokenHash(accessTokenHash));
    public ValueTask<AgentRow?> FindAgentByEmailAsync(string email) => new(FindAgentByEmail(email));
    public ValueTask<AgentRow?> GetAgentAsync(long id) => new(GetAgent(id));
    public ValueTask<IReadOnlyList<AgentRow>> ListAgentsAsync() => new(ListAgents());
    public ValueTask<ContactRow?> FindContactBySourceIdAsync(long inboxId, string sourceId) => new(FindContactBySourceId(inboxId, sourceId));
    public ValueTask<ContactRow?> FindContactByTokenHashAsync(string pubsubTokenHash) => new(FindContactByTokenHash(pubsubTokenHash));
    public ValueTask<ContactRow?> FindVerifiedContactByIdentifierAsync(long inboxId, string identifier) =>
        new(FindVerifiedContactByIdentifier(inboxId, identifier));
    public ValueTask<ContactRow?> GetContactAsync(long id) => new(GetContact(id));
    public ValueTask<(IReadOnlyList<ContactRow> Page, int Total)> ListContactsAsync(ContactFilter filter) => new(ListContacts(filter));
    public ValueTask<ConversationRow?> GetConversationAsync(long id) => new(GetConversation(id));
    public ValueTask<IReadOnlyList<ConversationRow>> ListConversationsOfContactAsync(long contactId) => new(ListConversationsOfContact(contactId));
    public ValueTask<(IReadOnlyList<ConversationRow> Page, int Total)> ListConversationsAsync(ConversationFilter filter) =>
        new(ListConversations(filter));
    public ValueTask<MessageRow?> GetMessageAsync(long id) => new(GetMessage(id));
    public ValueTask<MessageRow?> FindMessageByEchoAsync(long conversationId, string senderType, long senderId, string echoId) =>
        new(FindMessageByEcho(conversationId, senderType, senderId, echoId));
    public ValueTask<long?> FindConversationStartedWithAsync(long contactId, string echoId) => new(FindConversationStartedWith(contactId, echoId));
    public ValueTask<IReadOnlyList<MessageRow>> GetMessagesAsync(MessageQuery query) => new(GetMessages(query));
    public ValueTask<AttachmentRow?> GetAttachmentAsync(long id) => new(GetAttachment(id));
    public ValueTask<IReadOnlyList<AttachmentRow>> GetAttachmentsOfMessagesAsync(IReadOnlyList<long> messageIds) =>
        new(GetAttachmentsOfMessages(messageIds));
    public ValueTask<AttachmentRow?> FindAttachmentByTokenAsync(string token) => new(FindAttachmentByToken(token));
    public ValueTask<int> ReadAttachmentAsync(long attachmentId, long offset, Memory<byte> into) => new(ReadAttachment(attachmentId, offset, into));
    public ValueTask<UploadedBytes> UploadedBySenderSinceAsync(string uploaderType, long uploaderId, long since) =>
        new(UploadedBySenderSince(uploaderType, uploaderId, since));
    public ValueTask<UploadedBytes> UploadedInInboxSinceAsync(long inboxId, long since) => new(UploadedInInboxSince(inboxId, since));

    // The single writer is the only one changing the file: nothing else can change the row meanwhile.
    public ValueTask<ConversationRow?> GetConversationForUpdateAsync(long id) { _ = Ids; return new(GetConversation(id)); }
    public ValueTask<ContactRow?> GetContactForUpdateAsync(long id) { _ = Ids; return new(GetContact(id)); }
    public ValueTask<long> InsertInboxAsync(InboxRow inbox) => new(InsertInbox(inbox));
    public ValueTask<long> InsertAgentAsync(AgentRow agent) => new(InsertAgent(agent));
    public ValueTask AddMemberAsync(long inboxId, long agentId) { AddMember(inboxId, agentId); return default; }
    public ValueTask<bool> RemoveMemberAsync(long inboxId, long agentId) => new(RemoveMember(inboxId, agentId));
    public ValueTask SetAvailabilityAsync(long agentId, string availability) { SetAvailability(agentId, availability); return default; }
    public ValueTask SetAgentTokensAsync(long agentId, string accessTokenHash, string pubsubToken)
    {
        SetAgentTokens(agentId, accessTokenHash, pubsubToken);
        return default;
    }
    public ValueTask SetDeactivatedAsync(long agentId, long? deactivatedAt) { SetDeactivated(agentId, deactivatedAt); return default; }
    public ValueTask<long> InsertContactAsync(ContactRow contact) => new(InsertContact(contact));
    public ValueTask UpdateContactAsync(ContactRow contact) { UpdateContact(contact); return default; }
    public ValueTask<long> InsertConversationAsync(ConversationRow conversation) => new(InsertConversation(conversation));
    public ValueTask RecordChangeAsync(ConversationRow conversation, bool visibleToContact) { RecordChange(conversation, visibleToContact); return default; }
    public ValueTask<long> InsertMessageAsync(MessageRow message) => new(InsertMessage(message));
    public ValueTask UpdateMessageAsync(MessageRow message) { UpdateMessage(message); return default; }
    public ValueTask<long> InsertAttachmentAsync(AttachmentRow attachment, Stream content) => new(InsertAttachment(attachment, content));
    public ValueTask<bool> AttachToMessageAsync(long attachmentId, long messageId) => new(AttachToMessage(attachmentId, messageId));
    public ValueTask<int> DeletePendingAttachmentsAsync(long createdBefore, int max) => new(DeletePendingAttachments(createdBefore, max));
    public ValueTask UpdateInboxAsync(InboxRow inbox) { UpdateInbox(inbox); return default; }

    public void AfterCommit(Action action)
    {
        _ = Ids;
        afterCommit!.Add(action);
    }

}
