using ChatHub.Contracts;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>The SQL of the store, on one connection: a pooled read connection, or the writer's connection
/// inside its batch transaction. SQLite answers synchronously, so every ValueTask here is already complete.</summary>
internal sealed class SqliteSession(StatementCache statements, SqliteTransaction transaction, bool isWriter) : IStoreTransaction
{
    private readonly SqliteConnection connection = statements.Connection;
    private readonly AfterCommitActions _afterCommit = new();

    static SqliteSession() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private const string InboxColumns = "id, identifier, name, hmac_token, hmac_mandatory, timezone, working_hours_enabled, working_hours, greeting_enabled, greeting_message, created_at, csat_survey_enabled, reply_time";
    private const string ContactColumns = "id, inbox_id, source_id, pubsub_token, pubsub_token_hash, name, email, phone_number, identifier, custom_attributes, hmac_verified, created_at, avatar_url";
    private const string ConversationColumns = "id, uuid, inbox_id, contact_id, status, assignee_id, seq, contact_seq, custom_attributes, contact_last_seen_at, agent_last_seen_at, created_at, last_activity_at, csat_rating";
    private const string MessageSelect = """
        SELECT m.id, m.conversation_id, m.seq, m.contact_seq, m.message_type, m.content, m.content_type,
               m.content_attributes, m.private, m.echo_id, m.sender_type, m.sender_id, m.created_at, m.updated_at
        FROM messages m
        """;

    private T? One<T>(string sql, object? args = null) => connection.QuerySingleOrDefault<T>(sql, args, transaction);
    private IReadOnlyList<T> Many<T>(string sql, object? args = null) => connection.Query<T>(sql, args, transaction).AsList();
    private int Execute(string sql, object? args = null) => connection.Execute(sql, args, transaction);
    private long Insert(string sql, object args) => connection.ExecuteScalar<long>(sql + " RETURNING id;", args, transaction);

    // The hot paths of every send and page run as cached prepared statements, mapped by hand (column order as
    // in ConversationColumns and MessageSelect); the rest goes through Dapper.
    private SqliteCommand Statement(string sql, params ReadOnlySpan<(string Name, object? Value)> args) =>
        statements.Prepare(sql, transaction, args);

    private T? Prepared<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> args) where T : class
    {
        using var reader = Statement(sql, args).ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }

    private List<T> PreparedList<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        using var reader = Statement(sql, args).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static long? Long(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static ConversationRow ReadConversation(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0), Uuid = r.GetString(1), InboxId = r.GetInt64(2), ContactId = r.GetInt64(3), Status = r.GetString(4),
        AssigneeId = Long(r, 5), Seq = r.GetInt64(6), ContactSeq = r.GetInt64(7), CustomAttributes = Text(r, 8),
        ContactLastSeenAt = Long(r, 9), AgentLastSeenAt = Long(r, 10), CreatedAt = r.GetInt64(11), LastActivityAt = r.GetInt64(12),
        CsatRating = r.IsDBNull(13) ? null : r.GetInt32(13),
    };

    // Column order as in AgentColumns and ContactColumns: every send and every authentication reads these.
    private static AgentRow ReadAgent(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0), Name = r.GetString(1), Email = r.GetString(2), Role = r.GetString(3), AccessTokenHash = r.GetString(4),
        PubsubToken = r.GetString(5), Availability = r.GetString(6), CreatedAt = r.GetInt64(7),
        DeactivatedAt = r.IsDBNull(8) ? null : r.GetInt64(8),
    };

    private static ContactRow ReadContact(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0), InboxId = r.GetInt64(1), SourceId = r.GetString(2), PubsubToken = r.GetString(3), PubsubTokenHash = r.GetString(4),
        Name = Text(r, 5), Email = Text(r, 6), PhoneNumber = Text(r, 7), Identifier = Text(r, 8), CustomAttributes = Text(r, 9),
        HmacVerified = r.GetInt64(10) != 0, CreatedAt = r.GetInt64(11), AvatarUrl = Text(r, 12),
    };

    private static MessageRow ReadMessage(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0), ConversationId = r.GetInt64(1), Seq = r.GetInt64(2), ContactSeq = Long(r, 3), MessageType = r.GetInt32(4),
        Content = r.GetString(5), ContentType = r.GetString(6), ContentAttributes = Text(r, 7), Private = r.GetInt64(8) != 0,
        EchoId = Text(r, 9), SenderType = Text(r, 10), SenderId = Long(r, 11), CreatedAt = r.GetInt64(12), UpdatedAt = r.GetInt64(13),
    };

    // ---- reads

    private InboxRow? FindInboxByIdentifier(string identifier) =>
        One<InboxRow>($"SELECT {InboxColumns} FROM inboxes WHERE identifier = @identifier", new { identifier });
    private InboxRow? GetInbox(long id) => One<InboxRow>($"SELECT {InboxColumns} FROM inboxes WHERE id = @id", new { id });
    private IReadOnlyList<InboxRow> ListInboxes() => Many<InboxRow>($"SELECT {InboxColumns} FROM inboxes ORDER BY id");
    private bool AnyInbox() => connection.ExecuteScalar<long>("SELECT EXISTS(SELECT 1 FROM inboxes)", null, transaction) != 0;

    private IReadOnlyList<long> InboxIdsOfAgent(long agentId) =>
        Many<long>("SELECT inbox_id FROM inbox_members WHERE agent_id = @agentId ORDER BY inbox_id", new { agentId });
    private bool IsMember(long inboxId, long agentId) =>
        (long)Statement("SELECT EXISTS(SELECT 1 FROM inbox_members WHERE inbox_id = @inboxId AND agent_id = @agentId)",
            ("@inboxId", inboxId), ("@agentId", agentId)).ExecuteScalar()! != 0;
    private IReadOnlyList<long> MembersOf(long inboxId) =>
        Many<long>("SELECT agent_id FROM inbox_members WHERE inbox_id = @inboxId ORDER BY agent_id", new { inboxId });

    private const string AgentColumns = "id, name, email, role, access_token_hash, pubsub_token, availability, created_at, deactivated_at";
    private AgentRow? FindAgentByTokenHash(string accessTokenHash) =>
        Prepared($"SELECT {AgentColumns} FROM agents WHERE access_token_hash = @hash", ReadAgent, ("@hash", accessTokenHash));
    private AgentRow? FindAgentByEmail(string email) =>
        One<AgentRow>($"SELECT {AgentColumns} FROM agents WHERE email = @email", new { email });
    private IReadOnlyList<AgentRow> ListAgents() => Many<AgentRow>($"SELECT {AgentColumns} FROM agents ORDER BY id");
    private AgentRow? GetAgent(long id) => Prepared($"SELECT {AgentColumns} FROM agents WHERE id = @id", ReadAgent, ("@id", id));

    private ContactRow? FindContactBySourceId(long inboxId, string sourceId) =>
        Prepared($"SELECT {ContactColumns} FROM contacts WHERE inbox_id = @inboxId AND source_id = @sourceId", ReadContact,
            ("@inboxId", inboxId), ("@sourceId", sourceId));
    private ContactRow? FindContactByTokenHash(string pubsubTokenHash) =>
        Prepared($"SELECT {ContactColumns} FROM contacts WHERE pubsub_token_hash = @hash", ReadContact, ("@hash", pubsubTokenHash));
    private ContactRow? FindVerifiedContactByIdentifier(long inboxId, string identifier) =>
        One<ContactRow>($"SELECT {ContactColumns} FROM contacts WHERE inbox_id = @inboxId AND identifier = @identifier AND hmac_verified = 1 ORDER BY id LIMIT 1",
            new { inboxId, identifier });
    private ContactRow? GetContact(long id) => Prepared($"SELECT {ContactColumns} FROM contacts WHERE id = @id", ReadContact, ("@id", id));

    private ConversationRow? GetConversation(long id) =>
        Prepared($"SELECT {ConversationColumns} FROM conversations WHERE id = @id", ReadConversation, ("@id", id));
    private IReadOnlyList<ConversationRow> ListConversationsOfContact(long contactId) =>
        Many<ConversationRow>($"SELECT {ConversationColumns} FROM conversations WHERE contact_id = @contactId ORDER BY last_activity_at DESC, id DESC",
            new { contactId });

    private (IReadOnlyList<ConversationRow> Page, int Total) ListConversations(ConversationFilter filter)
    {
        if (filter.InboxIds.Count == 0) return ([], 0);
        var where = "inbox_id IN @InboxIds"
            + (filter.Status is null ? "" : " AND status = @Status")
            + (filter.AssigneeId is null ? "" : " AND assignee_id = @AssigneeId")
            + (filter.UnassignedOnly ? " AND assignee_id IS NULL" : "");
        var total = connection.ExecuteScalar<int>($"SELECT COUNT(*) FROM conversations WHERE {where}", filter, transaction);
        var page = Many<ConversationRow>(
            $"SELECT {ConversationColumns} FROM conversations WHERE {where} ORDER BY last_activity_at DESC, id DESC LIMIT @Limit OFFSET @Offset",
            filter);
        return (page, total);
    }

    private MessageRow? GetMessage(long id) => Prepared($"{MessageSelect} WHERE m.id = @id", ReadMessage, ("@id", id));
    private MessageRow? FindMessageByEcho(long conversationId, string senderType, long senderId, string echoId) =>
        Prepared($"{MessageSelect} WHERE m.sender_type = @senderType AND m.sender_id = @senderId AND m.echo_id = @echoId AND m.conversation_id = @conversationId",
            ReadMessage, ("@senderType", senderType), ("@senderId", senderId), ("@echoId", echoId), ("@conversationId", conversationId));

    private long? FindConversationStartedWith(long contactId, string echoId) =>
        connection.ExecuteScalar<long?>(
            "SELECT conversation_id FROM messages WHERE sender_type = 'contact' AND sender_id = @contactId AND echo_id = @echoId AND contact_seq = 1 LIMIT 1",
            new { contactId, echoId }, transaction);

    private IReadOnlyList<MessageRow> GetMessages(MessageQuery q)
    {
        var seqColumn = q.ForContact ? "m.contact_seq" : "m.seq";
        var where = "m.conversation_id = @ConversationId"
            + (q.ForContact ? $" AND m.private = 0 AND m.message_type <> {MessageTypes.Activity}" : "")
            + (q.Before is null ? "" : " AND m.id < @Before");
        if (q.AfterSeq is not null)
            // Resync: every change after the client's seq, oldest first.
            return PreparedList($"{MessageSelect} WHERE {where} AND {seqColumn} > @AfterSeq ORDER BY {seqColumn} LIMIT @Limit", ReadMessage,
                ("@ConversationId", q.ConversationId), ("@Before", q.Before), ("@AfterSeq", q.AfterSeq), ("@Limit", q.Limit));
        // History: the newest page before the cursor, answered oldest first.
        var page = PreparedList($"{MessageSelect} WHERE {where} ORDER BY m.id DESC LIMIT @Limit", ReadMessage,
            ("@ConversationId", q.ConversationId), ("@Before", q.Before), ("@Limit", q.Limit));
        page.Reverse();
        return page;
    }

    // ---- writes

    private long InsertInbox(InboxRow i) => Insert("""
        INSERT INTO inboxes (identifier, name, hmac_token, hmac_mandatory, timezone, working_hours_enabled, working_hours,
                             greeting_enabled, greeting_message, created_at, csat_survey_enabled, reply_time)
        VALUES (@Identifier, @Name, @HmacToken, @HmacMandatory, @Timezone, @WorkingHoursEnabled, @WorkingHours,
                @GreetingEnabled, @GreetingMessage, @CreatedAt, @CsatSurveyEnabled, @ReplyTime)
        """, i);

    private long InsertAgent(AgentRow a) => Insert("""
        INSERT INTO agents (name, email, role, access_token_hash, pubsub_token, availability, created_at)
        VALUES (@Name, @Email, @Role, @AccessTokenHash, @PubsubToken, @Availability, @CreatedAt)
        """, a);

    private void AddMember(long inboxId, long agentId) =>
        Execute("INSERT OR IGNORE INTO inbox_members (inbox_id, agent_id) VALUES (@inboxId, @agentId)", new { inboxId, agentId });

    private bool RemoveMember(long inboxId, long agentId) =>
        Execute("DELETE FROM inbox_members WHERE inbox_id = @inboxId AND agent_id = @agentId", new { inboxId, agentId }) > 0;

    private void SetAvailability(long agentId, string availability) =>
        Execute("UPDATE agents SET availability = @availability WHERE id = @agentId", new { agentId, availability });

    private void SetDeactivated(long agentId, long? deactivatedAt) =>
        Execute("UPDATE agents SET deactivated_at = @deactivatedAt WHERE id = @agentId", new { agentId, deactivatedAt });

    private void SetAccessTokenHash(long agentId, string accessTokenHash) =>
        Execute("UPDATE agents SET access_token_hash = @accessTokenHash WHERE id = @agentId", new { agentId, accessTokenHash });

    private long InsertContact(ContactRow c) => Insert("""
        INSERT INTO contacts (inbox_id, source_id, pubsub_token, pubsub_token_hash, name, email, phone_number, identifier,
                              custom_attributes, hmac_verified, created_at, avatar_url)
        VALUES (@InboxId, @SourceId, @PubsubToken, @PubsubTokenHash, @Name, @Email, @PhoneNumber, @Identifier,
                @CustomAttributes, @HmacVerified, @CreatedAt, @AvatarUrl)
        """, c);

    private void UpdateContact(ContactRow c) => Execute("""
        UPDATE contacts SET name = @Name, email = @Email, phone_number = @PhoneNumber, identifier = @Identifier,
                            custom_attributes = @CustomAttributes, hmac_verified = @HmacVerified, avatar_url = @AvatarUrl
        WHERE id = @Id
        """, c);

    private long InsertConversation(ConversationRow c) => Insert("""
        INSERT INTO conversations (uuid, inbox_id, contact_id, status, assignee_id, seq, contact_seq, custom_attributes,
                                   contact_last_seen_at, agent_last_seen_at, created_at, last_activity_at)
        VALUES (@Uuid, @InboxId, @ContactId, @Status, @AssigneeId, 0, 0, @CustomAttributes,
                @ContactLastSeenAt, @AgentLastSeenAt, @CreatedAt, @LastActivityAt)
        """, c);

    private void RecordChange(ConversationRow c, bool visibleToContact)
    {
        using var reader = Statement("""
            UPDATE conversations SET status = @status, assignee_id = @assigneeId, seq = seq + 1,
                contact_seq = contact_seq + @visible, custom_attributes = @customAttributes,
                contact_last_seen_at = @contactLastSeenAt, agent_last_seen_at = @agentLastSeenAt, last_activity_at = @lastActivityAt,
                csat_rating = @csatRating
            WHERE id = @id
            RETURNING seq, contact_seq;
            """, ("@status", c.Status), ("@assigneeId", c.AssigneeId), ("@visible", visibleToContact ? 1 : 0),
            ("@customAttributes", c.CustomAttributes), ("@contactLastSeenAt", c.ContactLastSeenAt),
            ("@agentLastSeenAt", c.AgentLastSeenAt), ("@lastActivityAt", c.LastActivityAt), ("@csatRating", c.CsatRating),
            ("@id", c.Id)).ExecuteReader();
        if (!reader.Read()) throw new InvalidOperationException($"conversation {c.Id} does not exist");
        (c.Seq, c.ContactSeq) = (reader.GetInt64(0), reader.GetInt64(1));
    }

    private long InsertMessage(MessageRow m) => (long)Statement("""
        INSERT INTO messages (conversation_id, seq, contact_seq, message_type, content, content_type, content_attributes,
                              private, echo_id, sender_type, sender_id, created_at, updated_at)
        VALUES (@conversationId, @seq, @contactSeq, @messageType, @content, @contentType, @contentAttributes,
                @private, @echoId, @senderType, @senderId, @createdAt, @updatedAt)
        RETURNING id;
        """, ("@conversationId", m.ConversationId), ("@seq", m.Seq), ("@contactSeq", m.ContactSeq), ("@messageType", m.MessageType),
        ("@content", m.Content), ("@contentType", m.ContentType), ("@contentAttributes", m.ContentAttributes), ("@private", m.Private),
        ("@echoId", m.EchoId), ("@senderType", m.SenderType), ("@senderId", m.SenderId), ("@createdAt", m.CreatedAt),
        ("@updatedAt", m.UpdatedAt)).ExecuteScalar()!;

    private void UpdateMessage(MessageRow m) => Execute("""
        UPDATE messages SET seq = @Seq, contact_seq = @ContactSeq, content = @Content,
                            content_attributes = @ContentAttributes, updated_at = @UpdatedAt
        WHERE id = @Id
        """, m);

    // ---- webhooks and their outbox

    private const string WebhookColumns = "id, url, subscriptions, secret, created_at, updated_at";
    private const string DeliveryColumns = "id, webhook_id, delivery_id, event, payload, status, attempts, next_attempt_at, last_error, lease_until, lease_owner, created_at, delivered_at";

    private long InsertWebhook(WebhookRow w) => Insert("""
        INSERT INTO webhooks (url, subscriptions, secret, created_at, updated_at)
        VALUES (@Url, @Subscriptions, @Secret, @CreatedAt, @UpdatedAt)
        """, w);

    private void UpdateWebhook(WebhookRow w) =>
        Execute("UPDATE webhooks SET url = @Url, subscriptions = @Subscriptions, updated_at = @UpdatedAt WHERE id = @Id", w);

    private bool DeleteWebhook(long id)
    {
        Execute("DELETE FROM webhook_deliveries WHERE webhook_id = @id", new { id });
        return Execute("DELETE FROM webhooks WHERE id = @id", new { id }) > 0;
    }

    private long InsertDelivery(WebhookDeliveryRow d) => Insert("""
        INSERT INTO webhook_deliveries (webhook_id, delivery_id, event, payload, status, attempts, next_attempt_at, created_at)
        VALUES (@WebhookId, @DeliveryId, @Event, @Payload, @Status, @Attempts, @NextAttemptAt, @CreatedAt)
        """, d);

    // The head of each webhook's queue (its oldest pending delivery) is the only one that can be taken, so a
    // webhook's deliveries go one at a time, in order. The writer holds the file's write lock: atomic across nodes.
    private IReadOnlyList<WebhookDeliveryRow> ClaimDueDeliveries(string owner, long now, long leaseUntil, int max) => Many<WebhookDeliveryRow>($"""
        UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @leaseUntil
        WHERE id IN (
            SELECT d.id FROM (SELECT MIN(id) AS id FROM webhook_deliveries WHERE status = 'pending' GROUP BY webhook_id) head
            JOIN webhook_deliveries d ON d.id = head.id
            WHERE d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until < @now)
            ORDER BY d.id LIMIT @max)
        RETURNING {DeliveryColumns}
        """, new { owner, now, leaseUntil, max });

    private bool RecordAttempt(DeliveryOutcome o) => Execute("""
        UPDATE webhook_deliveries SET status = @Status, attempts = attempts + 1, next_attempt_at = @NextAttemptAt,
            last_error = COALESCE(@Error, last_error), lease_until = NULL, lease_owner = NULL,
            delivered_at = CASE WHEN @Status = 'delivered' THEN @Now ELSE NULL END
        WHERE id = @DeliveryId AND lease_owner = @LeaseOwner AND status = 'pending'
        """, o) > 0;

    private int PruneDeliveries(long createdBefore, int max) => Execute("""
        DELETE FROM webhook_deliveries WHERE id IN (
            SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < @createdBefore ORDER BY id LIMIT @max)
        """, new { createdBefore, max });

    // Every command with events reads the webhooks (the outbox): a cached prepared statement, mapped by hand.
    public ValueTask<IReadOnlyList<WebhookRow>> ListWebhooksAsync() => new(PreparedList($"SELECT {WebhookColumns} FROM webhooks ORDER BY id", r => new WebhookRow
    {
        Id = r.GetInt64(0), Url = r.GetString(1), Subscriptions = r.GetString(2), Secret = r.GetString(3), CreatedAt = r.GetInt64(4), UpdatedAt = r.GetInt64(5),
    }));
    public ValueTask<WebhookRow?> GetWebhookAsync(long id) => new(One<WebhookRow>($"SELECT {WebhookColumns} FROM webhooks WHERE id = @id", new { id }));
    public ValueTask<IReadOnlyList<WebhookDeliveryRow>> ListDeliveriesAsync(long webhookId, int limit) => new(Many<WebhookDeliveryRow>(
        $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @limit", new { webhookId, limit }));
    public ValueTask<long> CountPendingDeliveriesAsync() =>
        new(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'", null, transaction));
    public ValueTask<long> InsertWebhookAsync(WebhookRow webhook) => new(Writer().InsertWebhook(webhook));
    public ValueTask UpdateWebhookAsync(WebhookRow webhook) { Writer().UpdateWebhook(webhook); return default; }
    public ValueTask<bool> DeleteWebhookAsync(long id) => new(Writer().DeleteWebhook(id));
    public ValueTask<long> InsertDeliveryAsync(WebhookDeliveryRow delivery) => new(Writer().InsertDelivery(delivery));
    public ValueTask<IReadOnlyList<WebhookDeliveryRow>> ClaimDueDeliveriesAsync(string owner, long now, long leaseUntil, int max) =>
        new(Writer().ClaimDueDeliveries(owner, now, leaseUntil, max));
    public ValueTask<bool> RecordAttemptAsync(DeliveryOutcome outcome) => new(Writer().RecordAttempt(outcome));
    public ValueTask<int> PruneDeliveriesAsync(long createdBefore, int max) => new(Writer().PruneDeliveries(createdBefore, max));
    private const string AttachmentColumns =
        "id, token, uploader_type, uploader_id, inbox_id, message_id, file_name, file_type, extension, content_type, file_size, created_at";

    private AttachmentRow? GetAttachment(long id) => One<AttachmentRow>($"SELECT {AttachmentColumns} FROM attachments WHERE id = @id", new { id });
    private IReadOnlyList<AttachmentRow> GetAttachmentsOfMessages(IReadOnlyList<long> messageIds) => messageIds.Count == 0 ? []
        : Many<AttachmentRow>($"SELECT {AttachmentColumns} FROM attachments WHERE message_id IN @messageIds ORDER BY id", new { messageIds });
    private AttachmentRow? FindAttachmentByToken(string token) =>
        One<AttachmentRow>($"SELECT {AttachmentColumns} FROM attachments WHERE token = @token", new { token });

    /// <summary>The slices that hold [offset, offset + into.Length), each copied from where the range starts in it.</summary>
    private int ReadAttachment(long attachmentId, long offset, Memory<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (into.Length == 0) return 0;
        // GetBytes copies into an array without allocating; a caller's memory that is not one gets a slice of its own.
        var direct = System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(into, out var target);
        if (!direct) target = new byte[into.Length];
        const int size = AttachmentChunks.Bytes;
        var copied = 0;
        using (var reader = Statement("SELECT seq, data FROM attachment_chunks WHERE attachment_id = @id AND seq BETWEEN @first AND @last ORDER BY seq",
            ("@id", attachmentId), ("@first", offset / size), ("@last", (offset + into.Length - 1) / size)).ExecuteReader())
        {
            while (copied < into.Length && reader.Read())
            {
                var position = offset + copied;
                if (reader.GetInt64(0) != position / size) break; // a missing slice: the file is gone
                var within = position % size;
                if (within >= reader.GetBytes(1, 0, null, 0, 0)) break; // past the end of the last slice
                var read = (int)reader.GetBytes(1, within, target.Array, target.Offset + copied, into.Length - copied);
                if (read == 0) break;
                copied += read;
            }
        }
        if (!direct) target.AsSpan(0, copied).CopyTo(into.Span);
        return copied;
    }

    private UploadedBytes UploadedBySenderSince(string uploaderType, long uploaderId, long since) => Prepared(
        "SELECT COALESCE(SUM(file_size), 0), MIN(created_at) FROM attachments WHERE uploader_type = @type AND uploader_id = @id AND created_at >= @since",
        ReadUploaded, ("@type", uploaderType), ("@id", uploaderId), ("@since", since))!;

    private UploadedBytes UploadedInInboxSince(long inboxId, long since) => Prepared(
        "SELECT COALESCE(SUM(file_size), 0), MIN(created_at) FROM attachments WHERE inbox_id = @inboxId AND created_at >= @since",
        ReadUploaded, ("@inboxId", inboxId), ("@since", since))!;

    private static UploadedBytes ReadUploaded(SqliteDataReader r) => new(r.GetInt64(0), Long(r, 1));

    private long InsertAttachment(AttachmentRow a, Stream content)
    {
        var id = Insert("""
            INSERT INTO attachments (token, uploader_type, uploader_id, inbox_id, message_id, file_name, file_type, extension,
                                     content_type, file_size, created_at)
            VALUES (@Token, @UploaderType, @UploaderId, @InboxId, @MessageId, @FileName, @FileType, @Extension,
                    @ContentType, @FileSize, @CreatedAt)
            """, new { a.Token, a.UploaderType, a.UploaderId, a.InboxId, a.MessageId, a.FileName, a.FileType, a.Extension,
                a.ContentType, a.FileSize, a.CreatedAt });
        // One slice buffer, bound anew for each row (SQLite copies a bound blob).
        var slice = new byte[Math.Min(AttachmentChunks.Bytes, a.FileSize)];
        long stored = 0;
        for (long seq = 0; stored < a.FileSize; seq++)
        {
            var length = (int)Math.Min(slice.Length, a.FileSize - stored);
            if (AttachmentChunks.Fill(content, slice.AsSpan(0, length)) is var read && read < length)
                throw AttachmentChunks.EndedEarly(stored + read, a.FileSize);
            Statement("INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (@id, @seq, @data)",
                ("@id", id), ("@seq", seq), ("@data", length == slice.Length ? slice : slice[..length])).ExecuteNonQuery();
            stored += length;
        }
        return id;
    }

    private bool AttachToMessage(long attachmentId, long messageId) =>
        Execute("UPDATE attachments SET message_id = @messageId WHERE id = @attachmentId AND message_id IS NULL", new { attachmentId, messageId }) == 1;

    // Their slices go with them (ON DELETE CASCADE; the writer's connection enforces foreign keys).
    private int DeletePendingAttachments(long createdBefore, int max) => Execute("""
        DELETE FROM attachments WHERE id IN (
            SELECT id FROM attachments WHERE message_id IS NULL AND created_at < @createdBefore ORDER BY created_at LIMIT @max)
        """, new { createdBefore, max });

    private void UpdateInbox(InboxRow i) => Execute("""
        UPDATE inboxes SET name = @Name, hmac_mandatory = @HmacMandatory, timezone = @Timezone,
                           working_hours_enabled = @WorkingHoursEnabled, working_hours = @WorkingHours,
                           greeting_enabled = @GreetingEnabled, greeting_message = @GreetingMessage,
                           csat_survey_enabled = @CsatSurveyEnabled, reply_time = @ReplyTime
        WHERE id = @Id
        """, i);

    // ---- the contract (IStoreTransaction), over the synchronous SQL above

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

    // The single writer holds the database's write lock for its whole batch: nothing else can change the row.
    public ValueTask<ConversationRow?> GetConversationForUpdateAsync(long id) => new(Writer().GetConversation(id));
    public ValueTask<ContactRow?> GetContactForUpdateAsync(long id) => new(Writer().GetContact(id));
    public ValueTask<long> InsertInboxAsync(InboxRow inbox) => new(Writer().InsertInbox(inbox));
    public ValueTask<long> InsertAgentAsync(AgentRow agent) => new(Writer().InsertAgent(agent));
    public ValueTask AddMemberAsync(long inboxId, long agentId) { Writer().AddMember(inboxId, agentId); return default; }
    public ValueTask<bool> RemoveMemberAsync(long inboxId, long agentId) => new(Writer().RemoveMember(inboxId, agentId));
    public ValueTask SetAvailabilityAsync(long agentId, string availability) { Writer().SetAvailability(agentId, availability); return default; }
    public ValueTask SetAccessTokenHashAsync(long agentId, string accessTokenHash) { Writer().SetAccessTokenHash(agentId, accessTokenHash); return default; }
    public ValueTask SetDeactivatedAsync(long agentId, long? deactivatedAt) { Writer().SetDeactivated(agentId, deactivatedAt); return default; }
    public ValueTask<long> InsertContactAsync(ContactRow contact) => new(Writer().InsertContact(contact));
    public ValueTask UpdateContactAsync(ContactRow contact) { Writer().UpdateContact(contact); return default; }
    public ValueTask<long> InsertConversationAsync(ConversationRow conversation) => new(Writer().InsertConversation(conversation));
    public ValueTask RecordChangeAsync(ConversationRow conversation, bool visibleToContact) { Writer().RecordChange(conversation, visibleToContact); return default; }
    public ValueTask<long> InsertMessageAsync(MessageRow message) => new(Writer().InsertMessage(message));
    public ValueTask UpdateMessageAsync(MessageRow message) { Writer().UpdateMessage(message); return default; }
    public ValueTask<long> InsertAttachmentAsync(AttachmentRow attachment, Stream content) => new(Writer().InsertAttachment(attachment, content));
    public ValueTask<bool> AttachToMessageAsync(long attachmentId, long messageId) => new(Writer().AttachToMessage(attachmentId, messageId));
    public ValueTask<int> DeletePendingAttachmentsAsync(long createdBefore, int max) => new(Writer().DeletePendingAttachments(createdBefore, max));
    public ValueTask UpdateInboxAsync(InboxRow inbox) { Writer().UpdateInbox(inbox); return default; }

    private SqliteSession Writer() => isWriter ? this : throw new InvalidOperationException("a write needs the writer's transaction");

    public void AfterCommit(Action action)
    {
        if (!isWriter) throw new InvalidOperationException("AfterCommit needs the writer's transaction.");
        _afterCommit.Add(action);
    }

    /// <summary>The writer's: scoped to each command, run after the batch commits.</summary>
    internal AfterCommitActions AfterCommitActions => _afterCommit;
}
