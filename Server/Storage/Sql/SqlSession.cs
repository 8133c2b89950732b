using System.Data.Common;
using static ChatHub.Server.Storage.Sql.SqlStatements;

namespace ChatHub.Server.Storage.Sql;

/// <summary>The store contract over SQL, for every SQL engine: a read's snapshot, or the writer's batch transaction
/// (each command in a savepoint of it). Its statements are <see cref="SqlStatements"/>; what differs between engines
/// is their <see cref="SqlDialect"/>, and their connection (<see cref="ISqlConnection"/>). On SQLite every await here
/// completes at once (its ADO.NET methods are synchronous).</summary>
/// <param name="keepsWebhooks">Whether a writer's batch reads the webhooks once (the outbox asks for them in every command
/// that raises an event): kept until the batch writes a webhook or a command of it is undone (<see cref="ForgetKept"/>).
/// The batch's commands were all queued before it began, so the webhooks as the batch first reads them are as recent as
/// any of them may expect.</param>
internal sealed partial class SqlSession(SqlStatements statements, ISqlConnection connection, AfterCommitActions? afterCommit, bool keepsWebhooks = false)
    : IStoreTransaction
{
    private readonly SqlDialect _dialect = statements.Dialect;
    private readonly ISqlPipeline? _pipeline = connection as ISqlPipeline;

    /// <summary>Runs a write command so that the statements it starts before awaiting them go out together, where the
    /// connection can send them so (<see cref="ISqlPipeline"/>); elsewhere it just runs it.</summary>
    public ValueTask<T> PipelinedAsync<T>(Func<ValueTask<T>> command) =>
        _pipeline is null ? command() : new(_pipeline.RunAsync(command));

    // ---- running statements: at once, or queued in the pipeline while a command runs there

    private ValueTask<T?> One<T>(string sql, Func<DbDataReader, T> map, params (string, object?)[] args) where T : class =>
        _pipeline is { IsCollecting: true } pipeline
            ? new(pipeline.Enqueue<T?>(sql, args, async reader => await reader.ReadAsync() ? map(reader) : null))
            : OneNow(sql, map, args);

    private async ValueTask<T?> OneNow<T>(string sql, Func<DbDataReader, T> map, (string, object?)[] args) where T : class
    {
        using var lease = connection.Command(sql, args);
        await using var reader = await lease.Command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? map(reader) : null;
    }

    private ValueTask<List<T>> Many<T>(string sql, Func<DbDataReader, T> map, params (string, object?)[] args) =>
        _pipeline is { IsCollecting: true } pipeline ? new(pipeline.Enqueue(sql, args, reader => ReadAll(reader, map))) : ManyNow(sql, map, args);

    private async ValueTask<List<T>> ManyNow<T>(string sql, Func<DbDataReader, T> map, (string, object?)[] args)
    {
        using var lease = connection.Command(sql, args);
        await using var reader = await lease.Command.ExecuteReaderAsync();
        return await ReadAll(reader, map);
    }

    private static async ValueTask<List<T>> ReadAll<T>(DbDataReader reader, Func<DbDataReader, T> map)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(map(reader));
        return rows;
    }

    private ValueTask<object?> Scalar(string sql, params (string, object?)[] args) =>
        _pipeline is { IsCollecting: true } pipeline
            ? new(pipeline.Enqueue(sql, args, async reader => await reader.ReadAsync() && !reader.IsDBNull(0) ? reader[0] : null))
            : ScalarNow(sql, args);

    private async ValueTask<object?> ScalarNow(string sql, (string, object?)[] args)
    {
        using var lease = connection.Command(sql, args);
        var value = await lease.Command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private ValueTask<int> Execute(string sql, params (string, object?)[] args) =>
        _pipeline is { IsCollecting: true } pipeline ? new(pipeline.EnqueueExecute(sql, args)) : ExecuteNow(sql, args);

    private async ValueTask<int> ExecuteNow(string sql, (string, object?)[] args)
    {
        using var lease = connection.Command(sql, args);
        return await lease.Command.ExecuteNonQueryAsync();
    }

    private async ValueTask<long> Insert(string sql, (string, object?)[] args)
    {
        Writer();
        return Convert.ToInt64(await Scalar(sql, args));
    }

    private static long Long(DbDataReader r) => r.GetInt64(0);

    private void Writer()
    {
        if (afterCommit is null) throw new InvalidOperationException("a write needs the writer's transaction");
    }

    // ---- inboxes and agents

    public ValueTask<InboxRow?> FindInboxByIdentifierAsync(string identifier) =>
        One(FindInboxByIdentifier, Inboxes.Read, ("@identifier", identifier));
    public ValueTask<InboxRow?> GetInboxAsync(long id) => One(GetInbox, Inboxes.Read, ("@id", id));
    public async ValueTask<IReadOnlyList<InboxRow>> ListInboxesAsync() => await Many(ListInboxes, Inboxes.Read);
    public async ValueTask<bool> AnyInboxAsync() => Convert.ToBoolean(await Scalar(AnyInbox));
    public async ValueTask<IReadOnlyList<long>> InboxIdsOfAgentAsync(long agentId) => await Many(InboxIdsOfAgent, Long, ("@agentId", agentId));
    public async ValueTask<bool> IsMemberAsync(long inboxId, long agentId) =>
        Convert.ToBoolean(await Scalar(IsMember, ("@inboxId", inboxId), ("@agentId", agentId)));
    public async ValueTask<IReadOnlyList<long>> MembersOfAsync(long inboxId) => await Many(MembersOf, Long, ("@inboxId", inboxId));

    public ValueTask<long> InsertInboxAsync(InboxRow inbox) => Insert(InsertInbox, Inboxes.InsertArgs(inbox));
    public async ValueTask UpdateInboxAsync(InboxRow inbox)
    {
        Writer();
        await Execute(UpdateInbox, Inboxes.UpdateArgs(inbox, []));
    }

    public async ValueTask AddMemberAsync(long inboxId, long agentId)
    {
        Writer();
        await Execute(AddMember, ("@inboxId", inboxId), ("@agentId", agentId));
    }

    public async ValueTask<bool> RemoveMemberAsync(long inboxId, long agentId)
    {
        Writer();
        return await Execute(RemoveMember, ("@inboxId", inboxId), ("@agentId", agentId)) > 0;
    }

    public ValueTask<AgentRow?> FindAgentByTokenHashAsync(string accessTokenHash) => One(FindAgentByTokenHash, Agents.Read, ("@hash", accessTokenHash));
    public ValueTask<AgentRow?> FindAgentByEmailAsync(string email) => One(statements.FindAgentByEmail, Agents.Read, ("@email", email));
    public ValueTask<AgentRow?> GetAgentAsync(long id) => One(GetAgent, Agents.Read, ("@id", id));
    public async ValueTask<IReadOnlyList<AgentRow>> ListAgentsAsync() => await Many(ListAgents, Agents.Read);
    public ValueTask<long> InsertAgentAsync(AgentRow agent) => Insert(InsertAgent, Agents.InsertArgs(agent));
    public ValueTask SetAvailabilityAsync(long agentId, string availability) => SetAgent(SetAvailability, agentId, availability);
    public async ValueTask SetAgentTokensAsync(long agentId, string accessTokenHash, string pubsubToken)
    {
        Writer();
        await Execute(SetAgentTokens, ("@agentId", agentId), ("@hash", accessTokenHash), ("@pubsub", pubsubToken));
    }
    public ValueTask SetDeactivatedAsync(long agentId, long? deactivatedAt) => SetAgent(SetDeactivated, agentId, deactivatedAt);

    private async ValueTask SetAgent(string sql, long agentId, object? value)
    {
        Writer();
        await Execute(sql, ("@agentId", agentId), ("@value", value));
    }

    // ---- contacts

    public ValueTask<ContactRow?> FindContactBySourceIdAsync(long inboxId, string sourceId) =>
        One(FindContactBySourceId, Contacts.Read, ("@inboxId", inboxId), ("@sourceId", sourceId));
    public ValueTask<ContactRow?> FindContactByTokenHashAsync(string pubsubTokenHash) => One(FindContactByTokenHash, Contacts.Read, ("@hash", pubsubTokenHash));
    public ValueTask<ContactRow?> FindVerifiedContactByIdentifierAsync(long inboxId, string identifier) =>
        One(FindVerifiedContactByIdentifier, Contacts.Read, ("@inboxId", inboxId), ("@identifier", identifier));
    public ValueTask<ContactRow?> GetContactAsync(long id) => One(GetContact, Contacts.Read, ("@id", id));

    public ValueTask<ContactRow?> GetContactForUpdateAsync(long id)
    {
        Writer();
        return One(statements.GetContactForUpdate, Contacts.Read, ("@id", id));
    }

    public ValueTask<long> InsertContactAsync(ContactRow contact) => Insert(InsertContact, Contacts.InsertArgs(contact));
    public async ValueTask UpdateContactAsync(ContactRow contact)
    {
        Writer();
        await Execute(UpdateContact, Contacts.UpdateArgs(contact, []));
    }

    public async ValueTask<(IReadOnlyList<ContactRow> Page, int Total)> ListContactsAsync(ContactFilter filter)
    {
        if (filter.InboxIds is { Count: 0 }) return ([], 0);
        var where = statements.ContactsWhere(filter);
        (string, object?)[] args = [("@inboxIds", filter.InboxIds is null ? null : _dialect.IdList(filter.InboxIds)),
            ("@pattern", filter.Search is null ? null : ContactSearch.LikePattern(filter.Search)),
            ("@searchId", filter.Search is not null && long.TryParse(filter.Search, out var id) ? id : -1L),
            ("@limit", filter.Limit), ("@offset", filter.Offset)];
        var total = Convert.ToInt32(await Scalar($"SELECT COUNT(*) FROM contacts WHERE {where}", Referenced(where, args)));
        var page = $"{Contacts.Select} WHERE {where} ORDER BY id DESC LIMIT @limit OFFSET @offset";
        return (await Many(page, Contacts.Read, Referenced(page, args)), total);
    }

    // ---- conversations

    public ValueTask<ConversationRow?> GetConversationAsync(long id) => One(GetConversation, Conversations.Read, ("@id", id));
    public async ValueTask<IReadOnlyList<ConversationRow>> ListConversationsOfContactAsync(long contactId) =>
        await Many(ListConversationsOfContact, Conversations.Read, ("@contactId", contactId));

    public async ValueTask<(IReadOnlyList<ConversationRow> Page, int Total)> ListConversationsAsync(ConversationFilter filter)
    {
        if (filter.InboxIds.Count == 0) return ([], 0);
        var where = statements.ConversationsWhere(filter);
        (string, object?)[] args = [("@inboxIds", _dialect.IdList(filter.InboxIds)), ("@status", filter.Status), ("@assigneeId", filter.AssigneeId), ("@teamId", filter.TeamId),
            ("@pattern", filter.Search is null ? null : ContactSearch.LikePattern(filter.Search)),
            ("@searchId", filter.Search is not null && long.TryParse(filter.Search, out var id) ? id : -1L),
            ("@limit", filter.Limit), ("@offset", filter.Offset),
            .. (filter.Labels ?? []).Select((title, i) => ($"@label{i}", (object?)ConversationSearch.LabelPattern(title)))];
        var total = Convert.ToInt32(await Scalar($"SELECT COUNT(*) FROM conversations WHERE {where}", Referenced(where, args)));
        var page = $"{Conversations.Select} WHERE {where} ORDER BY last_activity_at DESC, id DESC LIMIT @limit OFFSET @offset";
        return (await Many(page, Conversations.Read, Referenced(page, args)), total);
    }

    public ValueTask<ConversationRow?> GetConversationForUpdateAsync(long id)
    {
        Writer();
        return One(statements.GetConversationForUpdate, Conversations.Read, ("@id", id));
    }

    public ValueTask<long> InsertConversationAsync(ConversationRow conversation) => Insert(InsertConversation, Conversations.InsertArgs(conversation));

    public async ValueTask RecordChangeAsync(ConversationRow c, bool visibleToContact)
    {
        Writer();
        var args = Conversations.UpdateArgs(c, Counters).Append(("@visible", visibleToContact ? 1L : 0L)).ToArray();
        var counted = await One(RecordChange, r => new[] { r.GetInt64(0), r.GetInt64(1) }, args)
            ?? throw new InvalidOperationException($"conversation {c.Id} does not exist");
        (c.Seq, c.ContactSeq) = (counted[0], counted[1]);
    }

    public async ValueTask<IReadOnlyList<long>> ListSnoozeEndedAsync(long now, int max) =>
        await Many(ListSnoozeEnded, Long, ("@now", now), ("@max", max));

    // ---- labels

    public async ValueTask<IReadOnlyList<LabelRow>> ListLabelsAsync() => await Many(ListLabels, Labels.Read);
    public ValueTask<LabelRow?> GetLabelAsync(long id) => One(GetLabel, Labels.Read, ("@id", id));
    public ValueTask<LabelRow?> FindLabelByTitleAsync(string title) => One(FindLabelByTitle, Labels.Read, ("@title", title));
    public ValueTask<long> InsertLabelAsync(LabelRow label) => Insert(InsertLabel, Labels.InsertArgs(label));

    public async ValueTask UpdateLabelAsync(LabelRow label)
    {
        Writer();
        await Execute(UpdateLabel, Labels.UpdateArgs(label, []));
    }

    public async ValueTask<bool> DeleteLabelAsync(long id)
    {
        Writer();
        return await Execute(DeleteLabel, ("@id", id)) > 0;
    }

    // ---- messages

    public ValueTask<MessageRow?> GetMessageAsync(long id) => One(GetMessage, Messages.Read, ("@id", id));
    public ValueTask<MessageRow?> FindMessageByEchoAsync(long conversationId, string senderType, long senderId, string echoId) =>
        One(FindMessageByEcho, Messages.Read, ("@senderType", senderType), ("@senderId", senderId), ("@echoId", echoId), ("@conversationId", conversationId));
    public async ValueTask<long?> FindConversationStartedWithAsync(long contactId, string echoId) =>
        await Scalar(FindConversationStartedWith, ("@contactId", contactId), ("@echoId", echoId)) is { } id ? Convert.ToInt64(id) : null;

    public async ValueTask<IReadOnlyList<MessageRow>> GetMessagesAsync(MessageQuery q)
    {
        var sql = MessagePage(q);
        var page = await Many(sql, Messages.Read, Referenced(sql,
            [("@conversationId", q.ConversationId), ("@before", q.Before), ("@afterSeq", q.AfterSeq), ("@limit", q.Limit)]));
        // History is read newest first and answered oldest first.
        if (q.AfterSeq is null) page.Reverse();
        return page;
    }

    public ValueTask<long> InsertMessageAsync(MessageRow message) => Insert(InsertMessage, Messages.InsertArgs(message));

    public async ValueTask<long> AppendMessageAsync(ConversationRow c, MessageRow message, bool visibleToContact)
    {
        if (!_dialect.ChainsWrites)
        {
            await RecordChangeAsync(c, visibleToContact);
            (message.Seq, message.ContactSeq) = (c.Seq, visibleToContact ? c.ContactSeq : null);
            return message.Id = await InsertMessageAsync(message);
        }
        Writer();
        var args = Conversations.UpdateArgs(c, Counters).Append(("@visible", visibleToContact ? 1L : 0L)).Concat(Messages.InsertArgs(message)).ToArray();
        var stored = await One(AppendMessage, r => new[] { r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? -1 : r.GetInt64(2), r.GetInt64(3) }, args)
            ?? throw new InvalidOperationException($"conversation {c.Id} does not exist");
        (message.Id, message.Seq, message.ContactSeq) = (stored[0], stored[1], stored[2] < 0 ? null : stored[2]);
        (c.Seq, c.ContactSeq) = (stored[1], stored[3]);
        return message.Id;
    }

    public async ValueTask UpdateMessageAsync(MessageRow message)
    {
        Writer();
        await Execute(UpdateMessage, Messages.UpdateArgs(message, []));
    }

    // ---- attachments

    public ValueTask<AttachmentRow?> GetAttachmentAsync(long id) => One(GetAttachment, Attachments.Read, ("@id", id));
    public async ValueTask<IReadOnlyList<AttachmentRow>> GetAttachmentsOfMessagesAsync(IReadOnlyList<long> messageIds) => messageIds.Count == 0 ? []
        : await Many(statements.GetAttachmentsOfMessages, Attachments.Read, ("@messageIds", _dialect.IdList(messageIds)));
    public ValueTask<AttachmentRow?> FindAttachmentByTokenAsync(string token) => One(FindAttachmentByToken, Attachments.Read, ("@token", token));

    /// <summary>The slices that hold [offset, offset + into.Length), each answering just its part of the range, copied
    /// into <paramref name="into"/> as they stream in.</summary>
    public async ValueTask<int> ReadAttachmentAsync(long attachmentId, long offset, Memory<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (into.Length == 0) return 0;
        const long size = AttachmentChunks.Bytes;
        var end = offset + into.Length;
        using var lease = connection.Command(ReadChunks, [("@offset", offset), ("@end", end), ("@size", size), ("@id", attachmentId),
            ("@first", offset / size), ("@last", (end - 1) / size)]);
        await using var reader = await lease.Command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess);
        var copied = 0;
        while (copied < into.Length && await reader.ReadAsync())
        {
            if (reader.GetInt64(0) != (offset + copied) / size) break; // a missing slice: the file is gone
            await using var part = reader.GetStream(1);
            var read = await AttachmentChunks.FillAsync(part, into[copied..]);
            copied += read;
            if (read == 0 || (offset + copied) % size != 0) break; // the file's last slice ended
        }
        return copied;
    }

    public ValueTask<UploadedBytes> UploadedBySenderSinceAsync(string uploaderType, long uploaderId, long since) =>
        Uploaded(UploadedBySenderSince, ("@type", uploaderType), ("@id", uploaderId), ("@since", since));
    public ValueTask<UploadedBytes> UploadedInInboxSinceAsync(long inboxId, long since) =>
        Uploaded(UploadedInInboxSince, ("@inboxId", inboxId), ("@since", since));

    private async ValueTask<UploadedBytes> Uploaded(string sql, params (string, object?)[] args) =>
        (await One(sql, r => new UploadedBytes(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1)), args))!;

    /// <summary>The row, then its slices (<see cref="SqlDialect.WriteChunksAsync"/>): never the whole file in memory.</summary>
    public async ValueTask<long> InsertAttachmentAsync(AttachmentRow attachment, Stream content)
    {
        var id = await Insert(InsertAttachment, Attachments.InsertArgs(attachment));
        await _dialect.WriteChunksAsync(connection, id, content, attachment.FileSize);
        return id;
    }

    public async ValueTask<bool> AttachToMessageAsync(long attachmentId, long messageId)
    {
        Writer();
        return await Execute(AttachToMessage, ("@messageId", messageId), ("@attachmentId", attachmentId)) == 1;
    }

    public async ValueTask<int> DeletePendingAttachmentsAsync(long createdBefore, int max)
    {
        Writer();
        return await Execute(statements.DeletePendingAttachments, ("@createdBefore", createdBefore), ("@max", max));
    }

    // ---- webhooks and their outbox

    private IReadOnlyList<WebhookRow>? _keptWebhooks;

    public async ValueTask<IReadOnlyList<WebhookRow>> ListWebhooksAsync()
    {
        if (_keptWebhooks is { } kept) return kept;
        var webhooks = await Many(ListWebhooks, Webhooks.Read);
        if (keepsWebhooks) _keptWebhooks = webhooks;
        return webhooks;
    }

    /// <summary>A command was undone: what the batch kept may include its writes.</summary>
    public void ForgetKept() => _keptWebhooks = null;
    public ValueTask<WebhookRow?> GetWebhookAsync(long id) => One(GetWebhook, Webhooks.Read, ("@id", id));
    public async ValueTask<IReadOnlyList<WebhookDeliveryRow>> ListDeliveriesAsync(long webhookId, int limit) =>
        await Many(ListDeliveries, Deliveries.Read, ("@webhookId", webhookId), ("@limit", limit));
    public async ValueTask<long> CountPendingDeliveriesAsync() => Convert.ToInt64(await Scalar(CountPendingDeliveries));

    public ValueTask<long> InsertWebhookAsync(WebhookRow webhook)
    {
        ForgetKept();
        return Insert(InsertWebhook, Webhooks.InsertArgs(webhook));
    }

    public async ValueTask UpdateWebhookAsync(WebhookRow webhook)
    {
        Writer();
        ForgetKept();
        await Execute(UpdateWebhook, Webhooks.UpdateArgs(webhook, []));
    }

    public async ValueTask<bool> DeleteWebhookAsync(long id)
    {
        Writer();
        ForgetKept();
        await Execute(DeleteDeliveriesOfWebhook, ("@id", id));
        return await Execute(DeleteWebhook, ("@id", id)) > 0;
    }

    public ValueTask<long> InsertDeliveryAsync(WebhookDeliveryRow delivery) => Insert(InsertDelivery, Deliveries.InsertArgs(delivery, NewDeliveryFields));

    public async ValueTask<IReadOnlyList<WebhookDeliveryRow>> ClaimDueDeliveriesAsync(string owner, long now, long leaseUntil, int max)
    {
        Writer();
        return await Many(ClaimDueDeliveries, Deliveries.Read, ("@owner", owner), ("@leaseUntil", leaseUntil), ("@now", now), ("@max", max));
    }

    public async ValueTask<bool> RecordAttemptAsync(DeliveryOutcome o)
    {
        Writer();
        return await Execute(RecordAttempt, ("@status", o.Status), ("@nextAttemptAt", o.NextAttemptAt), ("@error", o.Error), ("@now", o.Now),
            ("@deliveryId", o.DeliveryId), ("@leaseOwner", o.LeaseOwner)) > 0;
    }

    public async ValueTask<int> PruneDeliveriesAsync(long createdBefore, int max)
    {
        Writer();
        return await Execute(PruneDeliveries, ("@createdBefore", createdBefore), ("@max", max));
    }

    public void AfterCommit(Action action)
    {
        Writer();
        afterCommit!.Add(action);
    }

    /// <summary>The arguments a composed statement names (an engine may refuse a parameter it does not use).</summary>
    private static (string, object?)[] Referenced(string sql, (string Name, object? Value)[] args) =>
        args.Where(a => sql.Contains(a.Name, StringComparison.Ordinal)).ToArray();
}
