using ChatHub.Contracts;
using Dapper;
using Npgsql;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>The SQL of the store on one connection and transaction: a read-only snapshot (REPEATABLE READ) for
/// reads, the writer's READ COMMITTED batch transaction (each command in a savepoint of it) for writes.</summary>
internal sealed class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction, bool isWriter) : IStoreTransaction
{
    private readonly AfterCommitActions _afterCommit = new();

    static PostgresSession() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private const string InboxColumns = "id, identifier, name, hmac_token, hmac_mandatory, timezone, working_hours_enabled, working_hours, greeting_enabled, greeting_message, created_at, csat_survey_enabled, reply_time";
    private const string AgentColumns = "id, name, email, role, access_token_hash, pubsub_token, availability, created_at, deactivated_at";
    private const string ContactColumns = "id, inbox_id, source_id, pubsub_token, pubsub_token_hash, name, email, phone_number, identifier, custom_attributes, hmac_verified, created_at, avatar_url";
    private const string ConversationColumns = "id, uuid, inbox_id, contact_id, status, assignee_id, seq, contact_seq, custom_attributes, contact_last_seen_at, agent_last_seen_at, created_at, last_activity_at, csat_rating";
    private const string MessageSelect = """
        SELECT m.id, m.conversation_id, m.seq, m.contact_seq, m.message_type, m.content, m.content_type,
               m.content_attributes, m.private, m.echo_id, m.sender_type, m.sender_id, m.created_at, m.updated_at
        FROM messages m
        """;

    /// <summary>The writer's: scoped to each command, run after the batch commits.</summary>
    internal AfterCommitActions AfterCommitActions => _afterCommit;

    private async ValueTask<T?> One<T>(string sql, object? args = null) =>
        await connection.QuerySingleOrDefaultAsync<T>(sql, args, transaction);
    private async ValueTask<IReadOnlyList<T>> Many<T>(string sql, object? args = null) =>
        (await connection.QueryAsync<T>(sql, args, transaction)).AsList();
    private async ValueTask<T> Scalar<T>(string sql, object? args = null) =>
        (await connection.ExecuteScalarAsync<T>(sql, args, transaction))!;
    private async ValueTask Execute(string sql, object? args = null) => await connection.ExecuteAsync(sql, args, transaction);
    private ValueTask<long> Insert(string sql, object args) { Writer(); return Scalar<long>(sql + " RETURNING id", args); }

    // ---- reads

    public ValueTask<InboxRow?> FindInboxByIdentifierAsync(string identifier) =>
        One<InboxRow>($"SELECT {InboxColumns} FROM inboxes WHERE identifier = @identifier", new { identifier });
    public ValueTask<InboxRow?> GetInboxAsync(long id) => One<InboxRow>($"SELECT {InboxColumns} FROM inboxes WHERE id = @id", new { id });
    public ValueTask<IReadOnlyList<InboxRow>> ListInboxesAsync() => Many<InboxRow>($"SELECT {InboxColumns} FROM inboxes ORDER BY id");
    public ValueTask<bool> AnyInboxAsync() => Scalar<bool>("SELECT EXISTS(SELECT 1 FROM inboxes)");
    public ValueTask<IReadOnlyList<long>> InboxIdsOfAgentAsync(long agentId) =>
        Many<long>("SELECT inbox_id FROM inbox_members WHERE agent_id = @agentId ORDER BY inbox_id", new { agentId });
    public ValueTask<bool> IsMemberAsync(long inboxId, long agentId) =>
        Scalar<bool>("SELECT EXISTS(SELECT 1 FROM inbox_members WHERE inbox_id = @inboxId AND agent_id = @agentId)", new { inboxId, agentId });
    public ValueTask<IReadOnlyList<long>> MembersOfAsync(long inboxId) =>
        Many<long>("SELECT agent_id FROM inbox_members WHERE inbox_id = @inboxId ORDER BY agent_id", new { inboxId });

    public ValueTask<AgentRow?> FindAgentByTokenHashAsync(string accessTokenHash) =>
        One<AgentRow>($"SELECT {AgentColumns} FROM agents WHERE access_token_hash = @accessTokenHash", new { accessTokenHash });
    public ValueTask<AgentRow?> FindAgentByEmailAsync(string email) =>
        One<AgentRow>($"SELECT {AgentColumns} FROM agents WHERE lower(email) = lower(@email)", new { email });
    public ValueTask<AgentRow?> GetAgentAsync(long id) => One<AgentRow>($"SELECT {AgentColumns} FROM agents WHERE id = @id", new { id });
    public ValueTask<IReadOnlyList<AgentRow>> ListAgentsAsync() => Many<AgentRow>($"SELECT {AgentColumns} FROM agents ORDER BY id");

    public ValueTask<ContactRow?> FindContactBySourceIdAsync(long inboxId, string sourceId) =>
        One<ContactRow>($"SELECT {ContactColumns} FROM contacts WHERE inbox_id = @inboxId AND source_id = @sourceId", new { inboxId, sourceId });
    public ValueTask<ContactRow?> FindContactByTokenHashAsync(string pubsubTokenHash) =>
        One<ContactRow>($"SELECT {ContactColumns} FROM contacts WHERE pubsub_token_hash = @pubsubTokenHash", new { pubsubTokenHash });
    public ValueTask<ContactRow?> FindVerifiedContactByIdentifierAsync(long inboxId, string identifier) =>
        One<ContactRow>($"SELECT {ContactColumns} FROM contacts WHERE inbox_id = @inboxId AND identifier = @identifier AND hmac_verified ORDER BY id LIMIT 1",
            new { inboxId, identifier });
    public ValueTask<ContactRow?> GetContactAsync(long id) => One<ContactRow>($"SELECT {ContactColumns} FROM contacts WHERE id = @id", new { id });

    public ValueTask<ConversationRow?> GetConversationAsync(long id) =>
        One<ConversationRow>($"SELECT {ConversationColumns} FROM conversations WHERE id = @id", new { id });
    public ValueTask<IReadOnlyList<ConversationRow>> ListConversationsOfContactAsync(long contactId) =>
        Many<ConversationRow>($"SELECT {ConversationColumns} FROM conversations WHERE contact_id = @contactId ORDER BY last_activity_at DESC, id DESC",
            new { contactId });

    public async ValueTask<(IReadOnlyList<ConversationRow> Page, int Total)> ListConversationsAsync(ConversationFilter filter)
    {
        if (filter.InboxIds.Count == 0) return ([], 0);
        var args = new { InboxIds = filter.InboxIds.ToArray(), filter.Status, filter.AssigneeId, filter.Limit, filter.Offset };
        var where = "inbox_id = ANY(@InboxIds)"
            + (filter.Status is null ? "" : " AND status = @Status")
            + (filter.AssigneeId is null ? "" : " AND assignee_id = @AssigneeId")
            + (filter.UnassignedOnly ? " AND assignee_id IS NULL" : "");
        var total = await Scalar<long>($"SELECT COUNT(*) FROM conversations WHERE {where}", args);
        var page = await Many<ConversationRow>(
            $"SELECT {ConversationColumns} FROM conversations WHERE {where} ORDER BY last_activity_at DESC, id DESC LIMIT @Limit OFFSET @Offset", args);
        return (page, (int)total);
    }

    public ValueTask<MessageRow?> GetMessageAsync(long id) => One<MessageRow>($"{MessageSelect} WHERE m.id = @id", new { id });
    public ValueTask<MessageRow?> FindMessageByEchoAsync(long conversationId, string senderType, long senderId, string echoId) =>
        One<MessageRow>($"{MessageSelect} WHERE m.sender_type = @senderType AND m.sender_id = @senderId AND m.echo_id = @echoId AND m.conversation_id = @conversationId",
            new { senderType, senderId, echoId, conversationId });

    public ValueTask<long?> FindConversationStartedWithAsync(long contactId, string echoId) =>
        One<long?>("SELECT conversation_id FROM messages WHERE sender_type = 'contact' AND sender_id = @contactId AND echo_id = @echoId AND contact_seq = 1 LIMIT 1",
            new { contactId, echoId });

    public async ValueTask<IReadOnlyList<MessageRow>> GetMessagesAsync(MessageQuery q)
    {
        var seqColumn = q.ForContact ? "m.contact_seq" : "m.seq";
        var where = "m.conversation_id = @ConversationId"
            + (q.ForContact ? $" AND NOT m.private AND m.message_type <> {MessageTypes.Activity}" : "")
            + (q.Before is null ? "" : " AND m.id < @Before");
        var args = new { q.ConversationId, q.Before, q.AfterSeq, q.Limit };
        if (q.AfterSeq is not null)
            // Resync: every change after the client's seq, oldest first.
            return await Many<MessageRow>($"{MessageSelect} WHERE {where} AND {seqColumn} > @AfterSeq ORDER BY {seqColumn} LIMIT @Limit", args);
        // History: the newest page before the cursor, answered oldest first.
        var page = (await Many<MessageRow>($"{MessageSelect} WHERE {where} ORDER BY m.id DESC LIMIT @Limit", args)).ToList();
        page.Reverse();
        return page;
    }

    // ---- writes

    public ValueTask<ConversationRow?> GetConversationForUpdateAsync(long id)
    {
        Writer();
        return One<ConversationRow>($"SELECT {ConversationColumns} FROM conversations WHERE id = @id FOR UPDATE", new { id });
    }

    public ValueTask<ContactRow?> GetContactForUpdateAsync(long id)
    {
        Writer();
        return One<ContactRow>($"SELECT {ContactColumns} FROM contacts WHERE id = @id FOR UPDATE", new { id });
    }

    public ValueTask<long> InsertInboxAsync(InboxRow i) => Insert("""
        INSERT INTO inboxes (identifier, name, hmac_token, hmac_mandatory, timezone, working_hours_enabled, working_hours,
                             greeting_enabled, greeting_message, created_at, csat_survey_enabled, reply_time)
        VALUES (@Identifier, @Name, @HmacToken, @HmacMandatory, @Timezone, @WorkingHoursEnabled, @WorkingHours,
                @GreetingEnabled, @GreetingMessage, @CreatedAt, @CsatSurveyEnabled, @ReplyTime)
        """, i);

    public ValueTask<long> InsertAgentAsync(AgentRow a) => Insert("""
        INSERT INTO agents (name, email, role, access_token_hash, pubsub_token, availability, created_at)
        VALUES (@Name, @Email, @Role, @AccessTokenHash, @PubsubToken, @Availability, @CreatedAt)
        """, a);

    public ValueTask AddMemberAsync(long inboxId, long agentId)
    {
        Writer();
        return Execute("INSERT INTO inbox_members (inbox_id, agent_id) VALUES (@inboxId, @agentId) ON CONFLICT DO NOTHING", new { inboxId, agentId });
    }

    public async ValueTask<bool> RemoveMemberAsync(long inboxId, long agentId)
    {
        Writer();
        return await connection.ExecuteAsync("DELETE FROM inbox_members WHERE inbox_id = @inboxId AND agent_id = @agentId",
            new { inboxId, agentId }, transaction) > 0;
    }

    public ValueTask SetAvailabilityAsync(long agentId, string availability)
    {
        Writer();
        return Execute("UPDATE agents SET availability = @availability WHERE id = @agentId", new { agentId, availability });
    }

    public ValueTask SetDeactivatedAsync(long agentId, long? deactivatedAt)
    {
        Writer();
        return Execute("UPDATE agents SET deactivated_at = @deactivatedAt WHERE id = @agentId", new { agentId, deactivatedAt });
    }

    public ValueTask SetAccessTokenHashAsync(long agentId, string accessTokenHash)
    {
        Writer();
        return Execute("UPDATE agents SET access_token_hash = @accessTokenHash WHERE id = @agentId", new { agentId, accessTokenHash });
    }

    public ValueTask<long> InsertContactAsync(ContactRow c) => Insert("""
        INSERT INTO contacts (inbox_id, source_id, pubsub_token, pubsub_token_hash, name, email, phone_number, identifier,
                              custom_attributes, hmac_verified, created_at, avatar_url)
        VALUES (@InboxId, @SourceId, @PubsubToken, @PubsubTokenHash, @Name, @Email, @PhoneNumber, @Identifier,
                @CustomAttributes, @HmacVerified, @CreatedAt, @AvatarUrl)
        """, c);

    public ValueTask UpdateContactAsync(ContactRow c)
    {
        Writer();
        return Execute("""
            UPDATE contacts SET name = @Name, email = @Email, phone_number = @PhoneNumber, identifier = @Identifier,
                                custom_attributes = @CustomAttributes, hmac_verified = @HmacVerified, avatar_url = @AvatarUrl
            WHERE id = @Id
            """, c);
    }

    public ValueTask<long> InsertConversationAsync(ConversationRow c) => Insert("""
        INSERT INTO conversations (uuid, inbox_id, contact_id, status, assignee_id, seq, contact_seq, custom_attributes,
                                   contact_last_seen_at, agent_last_seen_at, created_at, last_activity_at)
        VALUES (@Uuid, @InboxId, @ContactId, @Status, @AssigneeId, 0, 0, @CustomAttributes,
                @ContactLastSeenAt, @AgentLastSeenAt, @CreatedAt, @LastActivityAt)
        """, c);

    public async ValueTask RecordChangeAsync(ConversationRow c, bool visibleToContact)
    {
        Writer();
        await using var command = new NpgsqlCommand("""
            UPDATE conversations SET status = @status, assignee_id = @assigneeId, seq = seq + 1,
                contact_seq = contact_seq + @visible, custom_attributes = @customAttributes,
                contact_last_seen_at = @contactLastSeenAt, agent_last_seen_at = @agentLastSeenAt, last_activity_at = @lastActivityAt,
                csat_rating = @csatRating
            WHERE id = @id
            RETURNING seq, contact_seq
            """, connection, transaction);
        command.Parameters.AddWithValue("status", c.Status);
        command.Parameters.AddWithValue("assigneeId", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)c.AssigneeId ?? DBNull.Value);
        command.Parameters.AddWithValue("visible", visibleToContact ? 1L : 0L);
        command.Parameters.AddWithValue("customAttributes", NpgsqlTypes.NpgsqlDbType.Text, (object?)c.CustomAttributes ?? DBNull.Value);
        command.Parameters.AddWithValue("contactLastSeenAt", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)c.ContactLastSeenAt ?? DBNull.Value);
        command.Parameters.AddWithValue("agentLastSeenAt", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)c.AgentLastSeenAt ?? DBNull.Value);
        command.Parameters.AddWithValue("lastActivityAt", c.LastActivityAt);
        command.Parameters.AddWithValue("csatRating", NpgsqlTypes.NpgsqlDbType.Integer, (object?)c.CsatRating ?? DBNull.Value);
        command.Parameters.AddWithValue("id", c.Id);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"conversation {c.Id} does not exist");
        (c.Seq, c.ContactSeq) = (reader.GetInt64(0), reader.GetInt64(1));
    }

    public ValueTask<long> InsertMessageAsync(MessageRow m) => Insert("""
        INSERT INTO messages (conversation_id, seq, contact_seq, message_type, content, content_type, content_attributes,
                              private, echo_id, sender_type, sender_id, created_at, updated_at)
        VALUES (@ConversationId, @Seq, @ContactSeq, @MessageType, @Content, @ContentType, @ContentAttributes,
                @Private, @EchoId, @SenderType, @SenderId, @CreatedAt, @UpdatedAt)
        """, m);

    public ValueTask UpdateMessageAsync(MessageRow m)
    {
        Writer();
        return Execute("""
            UPDATE messages SET seq = @Seq, contact_seq = @ContactSeq, content = @Content,
                                content_attributes = @ContentAttributes, updated_at = @UpdatedAt
            WHERE id = @Id
            """, m);
    }

    // ---- webhooks and their outbox

    private const string WebhookColumns = "id, url, subscriptions, secret, created_at, updated_at";
    private const string DeliveryColumns = "id, webhook_id, delivery_id, event, payload, status, attempts, next_attempt_at, last_error, lease_until, lease_owner, created_at, delivered_at";

    public ValueTask<IReadOnlyList<WebhookRow>> ListWebhooksAsync() => Many<WebhookRow>($"SELECT {WebhookColumns} FROM webhooks ORDER BY id");
    public ValueTask<WebhookRow?> GetWebhookAsync(long id) => One<WebhookRow>($"SELECT {WebhookColumns} FROM webhooks WHERE id = @id", new { id });
    public ValueTask<IReadOnlyList<WebhookDeliveryRow>> ListDeliveriesAsync(long webhookId, int limit) => Many<WebhookDeliveryRow>(
        $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @limit", new { webhookId, limit });
    public ValueTask<long> CountPendingDeliveriesAsync() => Scalar<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'");

    public ValueTask<long> InsertWebhookAsync(WebhookRow w) => Insert("""
        INSERT INTO webhooks (url, subscriptions, secret, created_at, updated_at)
        VALUES (@Url, @Subscriptions, @Secret, @CreatedAt, @UpdatedAt)
        """, w);

    public ValueTask UpdateWebhookAsync(WebhookRow w)
    {
        Writer();
        return Execute("UPDATE webhooks SET url = @Url, subscriptions = @Subscriptions, updated_at = @UpdatedAt WHERE id = @Id", w);
    }

    public async ValueTask<bool> DeleteWebhookAsync(long id)
    {
        Writer();
        await Execute("DELETE FROM webhook_deliveries WHERE webhook_id = @id", new { id });
        return await connection.ExecuteAsync("DELETE FROM webhooks WHERE id = @id", new { id }, transaction) > 0;
    }

    public ValueTask<long> InsertDeliveryAsync(WebhookDeliveryRow d) => Insert("""
        INSERT INTO webhook_deliveries (webhook_id, delivery_id, event, payload, status, attempts, next_attempt_at, created_at)
        VALUES (@WebhookId, @DeliveryId, @Event, @Payload, @Status, @Attempts, @NextAttemptAt, @CreatedAt)
        """, d);

    // Only the head of each webhook's queue (its oldest pending delivery) can be taken, so a webhook's deliveries go
    // one at a time, in order. A conditional UPDATE: when two nodes pick the same head, the second waits for the
    // first's row lock, then READ COMMITTED re-checks the lease on the new row version and skips it.
    public ValueTask<IReadOnlyList<WebhookDeliveryRow>> ClaimDueDeliveriesAsync(string owner, long now, long leaseUntil, int max)
    {
        Writer();
        return Many<WebhookDeliveryRow>($"""
            UPDATE webhook_deliveries d SET lease_owner = @owner, lease_until = @leaseUntil
            FROM (SELECT id FROM (SELECT DISTINCT ON (webhook_id) id, next_attempt_at, lease_until FROM webhook_deliveries
                                  WHERE status = 'pending' ORDER BY webhook_id, id) head
                  WHERE next_attempt_at <= @now AND (lease_until IS NULL OR lease_until < @now) ORDER BY id LIMIT @max) due
            WHERE d.id = due.id AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < @now)
            RETURNING {string.Join(", ", DeliveryColumns.Split(", ").Select(c => "d." + c))}
            """, new { owner, now, leaseUntil, max });
    }

    public async ValueTask<bool> RecordAttemptAsync(DeliveryOutcome o)
    {
        Writer();
        return await connection.ExecuteAsync("""
            UPDATE webhook_deliveries SET status = @Status, attempts = attempts + 1, next_attempt_at = @NextAttemptAt,
                last_error = COALESCE(@Error, last_error), lease_until = NULL, lease_owner = NULL,
                delivered_at = CASE WHEN @Status = 'delivered' THEN @Now ELSE NULL END
            WHERE id = @DeliveryId AND lease_owner = @LeaseOwner AND status = 'pending'
            """, o, transaction) > 0;
    }

    public async ValueTask<int> PruneDeliveriesAsync(long createdBefore, int max)
    {
        Writer();
        return await connection.ExecuteAsync("""
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < @createdBefore ORDER BY id LIMIT @max)
            """, new { createdBefore, max }, transaction);
    }

    // ---- attachments

    private const string AttachmentColumns =
        "id, token, uploader_type, uploader_id, inbox_id, message_id, file_name, file_type, extension, content_type, file_size, created_at";

    public ValueTask<AttachmentRow?> GetAttachmentAsync(long id) =>
        One<AttachmentRow>($"SELECT {AttachmentColumns} FROM attachments WHERE id = @id", new { id });

    public async ValueTask<IReadOnlyList<AttachmentRow>> GetAttachmentsOfMessagesAsync(IReadOnlyList<long> messageIds) => messageIds.Count == 0 ? []
        : await Many<AttachmentRow>($"SELECT {AttachmentColumns} FROM attachments WHERE message_id = ANY(@messageIds) ORDER BY id",
            new { messageIds = messageIds.ToArray() });

    public ValueTask<AttachmentRow?> FindAttachmentByTokenAsync(string token) =>
        One<AttachmentRow>($"SELECT {AttachmentColumns} FROM attachments WHERE token = @token", new { token });

    /// <summary>Each slice that holds part of [offset, end) answers exactly that part (substring, which reads only the
    /// TOAST pieces it needs of an EXTERNAL value), streamed into <paramref name="into"/>.</summary>
    public async ValueTask<int> ReadAttachmentAsync(long attachmentId, long offset, Memory<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (into.Length == 0) return 0;
        const long size = AttachmentChunks.Bytes;
        var end = offset + into.Length;
        await using var command = new NpgsqlCommand("""
            SELECT seq, substring(data FROM (greatest(@offset - seq * @size, 0) + 1)::int
                                       FOR (least(@end - seq * @size, @size) - greatest(@offset - seq * @size, 0))::int)
            FROM attachment_chunks WHERE attachment_id = @id AND seq BETWEEN @first AND @last ORDER BY seq
            """, connection, transaction);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("end", end);
        command.Parameters.AddWithValue("size", size);
        command.Parameters.AddWithValue("id", attachmentId);
        command.Parameters.AddWithValue("first", offset / size);
        command.Parameters.AddWithValue("last", (end - 1) / size);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess);
        var copied = 0;
        while (copied < into.Length && await reader.ReadAsync())
        {
            if (reader.GetInt64(0) != (offset + copied) / size) break; // a missing slice: the file is gone
            await using var part = await reader.GetStreamAsync(1);
            var read = await AttachmentChunks.FillAsync(part, into[copied..]);
            copied += read;
            if (read == 0 || (offset + copied) % size != 0) break; // the file's last slice ended
        }
        return copied;
    }

    public async ValueTask<UploadedBytes> UploadedBySenderSinceAsync(string uploaderType, long uploaderId, long since) =>
        ToUploaded(await connection.QuerySingleAsync<(long, long?)>("""
            SELECT COALESCE(SUM(file_size), 0)::bigint, MIN(created_at) FROM attachments
            WHERE uploader_type = @uploaderType AND uploader_id = @uploaderId AND created_at >= @since
            """, new { uploaderType, uploaderId, since }, transaction));

    public async ValueTask<UploadedBytes> UploadedInInboxSinceAsync(long inboxId, long since) =>
        ToUploaded(await connection.QuerySingleAsync<(long, long?)>(
            "SELECT COALESCE(SUM(file_size), 0)::bigint, MIN(created_at) FROM attachments WHERE inbox_id = @inboxId AND created_at >= @since",
            new { inboxId, since }, transaction));

    private static UploadedBytes ToUploaded((long Bytes, long? OldestAt) sums) => new(sums.Bytes, sums.OldestAt);

    /// <summary>The row, then its slices through one binary COPY (each slice written from one reused buffer, so the file
    /// is never in memory whole; Npgsql would copy a Stream parameter into memory first).</summary>
    public async ValueTask<long> InsertAttachmentAsync(AttachmentRow a, Stream content)
    {
        var id = await Insert("""
            INSERT INTO attachments (token, uploader_type, uploader_id, inbox_id, message_id, file_name, file_type, extension,
                                     content_type, file_size, created_at)
            VALUES (@Token, @UploaderType, @UploaderId, @InboxId, @MessageId, @FileName, @FileType, @Extension,
                    @ContentType, @FileSize, @CreatedAt)
            """, new { a.Token, a.UploaderType, a.UploaderId, a.InboxId, a.MessageId, a.FileName, a.FileType, a.Extension,
                a.ContentType, a.FileSize, a.CreatedAt });
        var slice = new byte[Math.Min(AttachmentChunks.Bytes, a.FileSize)];
        // Not completed (the content ended early) is cancelled on dispose: the COPY fails and the command rolls back.
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY attachment_chunks (attachment_id, seq, data) FROM STDIN (FORMAT BINARY)");
        long stored = 0;
        for (long seq = 0; stored < a.FileSize; seq++)
        {
            var length = (int)Math.Min(slice.Length, a.FileSize - stored);
            if (await AttachmentChunks.FillAsync(content, slice.AsMemory(0, length)) is var read && read < length)
                throw AttachmentChunks.EndedEarly(stored + read, a.FileSize);
            await copy.StartRowAsync();
            await copy.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Bigint);
            await copy.WriteAsync(seq, NpgsqlTypes.NpgsqlDbType.Bigint);
            await copy.WriteAsync(new ArraySegment<byte>(slice, 0, length), NpgsqlTypes.NpgsqlDbType.Bytea);
            stored += length;
        }
        await copy.CompleteAsync();
        return id;
    }

    public async ValueTask<bool> AttachToMessageAsync(long attachmentId, long messageId)
    {
        Writer();
        return await connection.ExecuteAsync("UPDATE attachments SET message_id = @messageId WHERE id = @attachmentId AND message_id IS NULL",
            new { attachmentId, messageId }, transaction) == 1;
    }

    /// <summary>Their slices go with them (ON DELETE CASCADE). FOR UPDATE re-checks a row another node sent meanwhile:
    /// a sent attachment is never deleted.</summary>
    public async ValueTask<int> DeletePendingAttachmentsAsync(long createdBefore, int max)
    {
        Writer();
        return await connection.ExecuteAsync("""
            DELETE FROM attachments WHERE id IN (
                SELECT id FROM attachments WHERE message_id IS NULL AND created_at < @createdBefore ORDER BY created_at LIMIT @max FOR UPDATE)
            AND message_id IS NULL
            """, new { createdBefore, max }, transaction);
    }

    public ValueTask UpdateInboxAsync(InboxRow i)
    {
        Writer();
        return Execute("""
            UPDATE inboxes SET name = @Name, hmac_mandatory = @HmacMandatory, timezone = @Timezone,
                               working_hours_enabled = @WorkingHoursEnabled, working_hours = @WorkingHours,
                               greeting_enabled = @GreetingEnabled, greeting_message = @GreetingMessage,
                               csat_survey_enabled = @CsatSurveyEnabled, reply_time = @ReplyTime
            WHERE id = @Id
            """, i);
    }

    public void AfterCommit(Action action)
    {
        Writer();
        _afterCommit.Add(action);
    }

    private void Writer()
    {
        if (!isWriter) throw new InvalidOperationException("a write needs a write transaction");
    }
}
