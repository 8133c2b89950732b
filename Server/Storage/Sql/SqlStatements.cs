namespace ChatHub.Server.Storage.Sql;

/// <summary>Every statement of the SQL engines, written once and rendered once per dialect: named values that a session
/// runs (and that a batch may one day send together). Column lists, INSERTs and UPDATEs of rows come from their
/// <see cref="SqlTable{T}"/>.</summary>
internal sealed class SqlStatements
{
    public static readonly SqlTable<InboxRow> Inboxes = new("inboxes");
    public static readonly SqlTable<AgentRow> Agents = new("agents");
    public static readonly SqlTable<ContactRow> Contacts = new("contacts");
    public static readonly SqlTable<ConversationRow> Conversations = new("conversations");
    public static readonly SqlTable<MessageRow> Messages = new("messages");
    public static readonly SqlTable<AttachmentRow> Attachments = new("attachments");
    public static readonly SqlTable<WebhookRow> Webhooks = new("webhooks");
    public static readonly SqlTable<LabelRow> Labels = new("labels");
    public static readonly SqlTable<WebhookDeliveryRow> Deliveries = new("webhook_deliveries");

    /// <summary>What a new delivery is written with; the attempt's fields start empty.</summary>
    public static readonly string[] NewDeliveryFields = ["webhook_id", "delivery_id", "event", "payload", "status", "attempts", "next_attempt_at", "created_at"];
    /// <summary>A conversation's change counts its seqs itself (<see cref="RecordChange"/>).</summary>
    public static readonly string[] Counters = ["seq", "contact_seq"];

    public const string InsertChunk = "INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (@id, @seq, @data)";

    public SqlStatements(SqlDialect dialect)
    {
        Dialect = dialect;
        FindAgentByEmail = $"{Agents.Select} WHERE {dialect.EqualsIgnoringCase("email", "@email")}";
        GetConversationForUpdate = $"{Conversations.Select} WHERE id = @id{dialect.ForUpdate}";
        GetContactForUpdate = $"{Contacts.Select} WHERE id = @id{dialect.ForUpdate}";
        GetAttachmentsOfMessages = $"{Attachments.Select} WHERE {dialect.AnyOf("message_id", "@messageIds")} ORDER BY id";
        DeletePendingAttachments = $"""
            DELETE FROM attachments WHERE id IN (
                SELECT id FROM attachments WHERE message_id IS NULL AND created_at < @createdBefore ORDER BY created_at LIMIT @max{dialect.ForUpdate})
            AND message_id IS NULL
            """;
    }

    public SqlDialect Dialect { get; }

    // ---- inboxes and agents

    public static readonly string FindInboxByIdentifier = $"{Inboxes.Select} WHERE identifier = @identifier";
    public static readonly string GetInbox = $"{Inboxes.Select} WHERE id = @id";
    public static readonly string ListInboxes = $"{Inboxes.Select} ORDER BY id";
    public const string AnyInbox = "SELECT EXISTS(SELECT 1 FROM inboxes)";
    public static readonly string InsertInbox = Inboxes.Insert();
    public static readonly string UpdateInbox = Inboxes.Update([]);

    public const string InboxIdsOfAgent = "SELECT inbox_id FROM inbox_members WHERE agent_id = @agentId ORDER BY inbox_id";
    public const string IsMember = "SELECT EXISTS(SELECT 1 FROM inbox_members WHERE inbox_id = @inboxId AND agent_id = @agentId)";
    public const string MembersOf = "SELECT agent_id FROM inbox_members WHERE inbox_id = @inboxId ORDER BY agent_id";
    public const string AddMember = "INSERT INTO inbox_members (inbox_id, agent_id) VALUES (@inboxId, @agentId) ON CONFLICT DO NOTHING";
    public const string RemoveMember = "DELETE FROM inbox_members WHERE inbox_id = @inboxId AND agent_id = @agentId";

    public static readonly string FindAgentByTokenHash = $"{Agents.Select} WHERE access_token_hash = @hash";
    public string FindAgentByEmail { get; }
    public static readonly string GetAgent = $"{Agents.Select} WHERE id = @id";
    public static readonly string ListAgents = $"{Agents.Select} ORDER BY id";
    public static readonly string InsertAgent = Agents.Insert();
    public const string SetAvailability = "UPDATE agents SET availability = @value WHERE id = @agentId";
    public const string SetAgentTokens = "UPDATE agents SET access_token_hash = @hash, pubsub_token = @pubsub WHERE id = @agentId";
    public const string SetDeactivated = "UPDATE agents SET deactivated_at = @value WHERE id = @agentId";

    // ---- contacts and conversations

    public static readonly string FindContactBySourceId = $"{Contacts.Select} WHERE inbox_id = @inboxId AND source_id = @sourceId";
    public static readonly string FindContactByTokenHash = $"{Contacts.Select} WHERE pubsub_token_hash = @hash";
    public static readonly string FindVerifiedContactByIdentifier =
        $"{Contacts.Select} WHERE inbox_id = @inboxId AND identifier = @identifier AND hmac_verified = TRUE ORDER BY id LIMIT 1";
    public static readonly string GetContact = $"{Contacts.Select} WHERE id = @id";
    public string GetContactForUpdate { get; }
    public static readonly string InsertContact = Contacts.Insert();
    public static readonly string UpdateContact = Contacts.Update([]);

    public static readonly string GetConversation = $"{Conversations.Select} WHERE id = @id";
    public string GetConversationForUpdate { get; }
    public static readonly string ListConversationsOfContact =
        $"{Conversations.Select} WHERE contact_id = @contactId ORDER BY last_activity_at DESC, id DESC";
    public static readonly string InsertConversation = Conversations.Insert(null, ("seq", "0"), ("contact_seq", "0"));
    /// <summary>Writes the changeable fields and takes the next seq (and contact seq) in one atomic step.</summary>
    public static readonly string RecordChange =
        Conversations.Update(Counters, ", seq = seq + 1, contact_seq = contact_seq + @visible") + " RETURNING seq, contact_seq";

    /// <summary>The conversations of some inboxes, filtered: the WHERE clause, for a count and for a page.</summary>
    public string ConversationsWhere(ConversationFilter filter) =>
        Dialect.AnyOf("inbox_id", "@inboxIds")
        + (filter.Status is null ? "" : " AND status = @status")
        + (filter.AssigneeId is null ? "" : " AND assignee_id = @assigneeId")
        + (filter.UnassignedOnly ? " AND assignee_id IS NULL" : "")
        + (filter.AssignedOnly ? " AND assignee_id IS NOT NULL" : "")
        + (filter.TeamId is null ? "" : " AND team_id = @teamId")
        + (filter.Labels is not { Count: > 0 } labels ? ""
            : " AND (" + string.Join(" OR ", labels.Select((_, i) => $"labels LIKE @label{i} ESCAPE '\\'")) + ")")
        + (filter.Search is null ? "" : $" AND (id = @searchId OR contact_id IN (SELECT id FROM contacts WHERE {ContactFieldsLike}))");

    /// <summary>The contacts a <see cref="ContactFilter"/> keeps: the WHERE clause, for a count and for a page.</summary>
    public string ContactsWhere(ContactFilter filter) =>
        (filter.InboxIds is null ? "1 = 1" : Dialect.AnyOf("inbox_id", "@inboxIds"))
        + (filter.Search is null ? "" : $" AND ({ContactFieldsLike} OR id = @searchId)");

    /// <summary>A contact's name, email, phone number or identifier matches @pattern (<see cref="ContactSearch"/>).</summary>
    private string ContactFieldsLike => string.Join(" OR ", new[] { "name", "email", "phone_number", "identifier" }
        .Select(column => $"{Dialect.AsciiLower(column)} LIKE @pattern ESCAPE '\\'"));

    /// <summary>Only snoozed conversations have a snoozed_until (a status change clears it): a range of the small
    /// partial index ix_conversations_snooze.</summary>
    public const string ListSnoozeEnded =
        "SELECT id FROM conversations WHERE snoozed_until IS NOT NULL AND snoozed_until <= @now AND status = 'snoozed' ORDER BY snoozed_until, id LIMIT @max";

    // ---- labels

    public static readonly string ListLabels = $"{Labels.Select} ORDER BY title";
    public static readonly string GetLabel = $"{Labels.Select} WHERE id = @id";
    public static readonly string FindLabelByTitle = $"{Labels.Select} WHERE title = @title";
    public static readonly string InsertLabel = Labels.Insert();
    public static readonly string UpdateLabel = Labels.Update([]);
    public const string DeleteLabel = "DELETE FROM labels WHERE id = @id";

    // ---- messages

    public static readonly string GetMessage = $"{Messages.Select} WHERE id = @id";
    public static readonly string FindMessageByEcho =
        $"{Messages.Select} WHERE sender_type = @senderType AND sender_id = @senderId AND echo_id = @echoId AND conversation_id = @conversationId";
    public const string FindConversationStartedWith =
        "SELECT conversation_id FROM messages WHERE sender_type = 'contact' AND sender_id = @contactId AND echo_id = @echoId AND contact_seq = 1 LIMIT 1";
    public static readonly string InsertMessage = Messages.Insert();
    public static readonly string UpdateMessage = Messages.Update([]);

    /// <summary><see cref="RecordChange"/> and the message inserted with the seqs it took (its contact seq only when
    /// @visible), in one statement, for a dialect that <see cref="SqlDialect.ChainsWrites"/>. A conversation that does
    /// not exist takes no seq, and the message's NULL seq fails the insert.</summary>
    public static readonly string AppendMessage =
        $"WITH counted AS ({RecordChange}) "
        + Messages.Insert(null, ("seq", "(SELECT seq FROM counted)"), ("contact_seq", "(SELECT contact_seq FROM counted WHERE @visible = 1)"))
        + ", seq, contact_seq, (SELECT contact_seq FROM counted)";

    /// <summary>The conversation's and the message's parameters of <see cref="AppendMessage"/> are one set: a field
    /// that both tables name alike would bind one value to both, so such a schema change fails here, at once.</summary>
    public static readonly IReadOnlyList<string> AppendMessageParameters = DistinctParameters(
        Conversations.UpdateArgs(new ConversationRow(), Counters), Messages.InsertArgs(new MessageRow()));

    private static List<string> DistinctParameters(params (string Name, object? Value)[][] parts)
    {
        var names = parts.SelectMany(part => part.Select(a => a.Name)).ToList();
        var shared = names.GroupBy(name => name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return shared.Count == 0 ? names : throw new InvalidOperationException($"AppendMessage: the conversation and the message both bind {string.Join(", ", shared)}");
    }

    /// <summary>A page of a conversation (<see cref="MessageQuery"/>): a resync along the seq (or, for a contact, the
    /// contact seq: only the messages that have one), or history before a message id, newest first.</summary>
    public static string MessagePage(MessageQuery q)
    {
        var seq = q.ForContact ? "contact_seq" : "seq";
        var where = "conversation_id = @conversationId"
            + (q.ForContact ? " AND contact_seq IS NOT NULL" : "")
            + (q.Before is null ? "" : " AND id < @before");
        return q.AfterSeq is null
            ? $"{Messages.Select} WHERE {where} ORDER BY id DESC LIMIT @limit"
            : $"{Messages.Select} WHERE {where} AND {seq} > @afterSeq ORDER BY {seq} LIMIT @limit";
    }

    // ---- attachments

    public static readonly string GetAttachment = $"{Attachments.Select} WHERE id = @id";
    public string GetAttachmentsOfMessages { get; }
    public static readonly string FindAttachmentByToken = $"{Attachments.Select} WHERE token = @token";
    public static readonly string InsertAttachment = Attachments.Insert();
    public const string AttachToMessage = "UPDATE attachments SET message_id = @messageId WHERE id = @attachmentId AND message_id IS NULL";
    /// <summary>Their slices go with them (ON DELETE CASCADE). Rows held as they are read, and checked again: a pending
    /// upload another node sent meanwhile is never deleted.</summary>
    public string DeletePendingAttachments { get; }

    /// <summary>Of each slice that holds part of [@offset, @end), exactly that part (a substring reads only the pieces of
    /// a stored value it needs).</summary>
    public const string ReadChunks = """
        SELECT seq, substr(data,
                   CAST(CASE WHEN @offset > seq * @size THEN @offset - seq * @size ELSE 0 END + 1 AS INTEGER),
                   CAST(CASE WHEN @end - seq * @size < @size THEN @end - seq * @size ELSE @size END
                        - CASE WHEN @offset > seq * @size THEN @offset - seq * @size ELSE 0 END AS INTEGER))
        FROM attachment_chunks WHERE attachment_id = @id AND seq BETWEEN @first AND @last ORDER BY seq
        """;

    private const string UploadedSince = "SELECT CAST(COALESCE(SUM(file_size), 0) AS BIGINT), MIN(created_at) FROM attachments";
    public const string UploadedBySenderSince = $"{UploadedSince} WHERE uploader_type = @type AND uploader_id = @id AND created_at >= @since";
    public const string UploadedInInboxSince = $"{UploadedSince} WHERE inbox_id = @inboxId AND created_at >= @since";

    // ---- webhooks and their outbox

    public static readonly string ListWebhooks = $"{Webhooks.Select} ORDER BY id";
    public static readonly string GetWebhook = $"{Webhooks.Select} WHERE id = @id";
    public static readonly string InsertWebhook = Webhooks.Insert();
    public static readonly string UpdateWebhook = Webhooks.Update([]);
    public const string DeleteDeliveriesOfWebhook = "DELETE FROM webhook_deliveries WHERE webhook_id = @id";
    public const string DeleteWebhook = "DELETE FROM webhooks WHERE id = @id";
    public static readonly string ListDeliveries = $"{Deliveries.Select} WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @limit";
    public const string CountPendingDeliveries = "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'";
    public static readonly string InsertDelivery = Deliveries.Insert(NewDeliveryFields);

    /// <summary>Only the head of each webhook's queue (its oldest pending delivery) can be taken, so a webhook's deliveries
    /// go one at a time, in order. The outer conditions are checked again on the row as it is when updated: when two
    /// nodes pick the same head, the second waits for the first's row lock, then finds it leased and skips it.</summary>
    public static readonly string ClaimDueDeliveries = $"""
        UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @leaseUntil
        WHERE id IN (
            SELECT d.id FROM (SELECT MIN(id) AS id FROM webhook_deliveries WHERE status = 'pending' GROUP BY webhook_id) head
            JOIN webhook_deliveries d ON d.id = head.id
            WHERE d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until < @now)
            ORDER BY d.id LIMIT @max)
        AND status = 'pending' AND (lease_until IS NULL OR lease_until < @now)
        RETURNING {Deliveries.Columns}
        """;

    /// <summary>Only by the node that holds the lease, and only while pending.</summary>
    public const string RecordAttempt = """
        UPDATE webhook_deliveries SET status = @status, attempts = attempts + 1, next_attempt_at = @nextAttemptAt,
            last_error = COALESCE(@error, last_error), lease_until = NULL, lease_owner = NULL,
            delivered_at = CASE WHEN @status = 'delivered' THEN @now ELSE NULL END
        WHERE id = @deliveryId AND lease_owner = @leaseOwner AND status = 'pending'
        """;

    public const string PruneDeliveries = """
        DELETE FROM webhook_deliveries WHERE id IN (
            SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < @createdBefore ORDER BY id LIMIT @max)
        """;
}
