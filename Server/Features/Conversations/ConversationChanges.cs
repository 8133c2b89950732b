using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>The changes several use cases make to a conversation, inside their transaction: each takes the
/// conversation's next seq from the store and raises its event.</summary>
public static class ConversationChanges
{
    /// <summary>The realtime stream of the conversation's customer (the contact's pubsub token).</summary>
    public static ValueTask<string> ContactStreamAsync(CommandContext context, ConversationRow c) =>
        ContactStreamAsync(context.Store, context.Caller, c);

    public static async ValueTask<string> ContactStreamAsync(IStoreReader store, Identity.Caller caller, ConversationRow c) =>
        caller.IsContact && caller.Id == c.ContactId
            ? caller.PubsubToken
            : (await store.GetContactAsync(c.ContactId))?.PubsubToken ?? "";

    /// <summary>The inboxes an agent's list covers: all of its own, or the one it asked for if it is a member.</summary>
    public static async ValueTask<IReadOnlyList<long>> AgentInboxesAsync(IStoreReader store, Identity.Caller caller, long? inboxId)
    {
        var inboxIds = await store.InboxIdsOfAgentAsync(caller.Id);
        if (inboxId is not { } wanted) return inboxIds;
        if (!inboxIds.Contains(wanted)) throw ChatException.Forbidden("you are not a member of this inbox");
        return [wanted];
    }

    /// <summary>A new open conversation of <paramref name="contact"/> (held by the caller), in the contact's inbox: stored,
    /// and its ConversationCreated raised.</summary>
    /// <param name="autoAssignment">Assigns it at once in an inbox that auto-assigns (the assignee is in its
    /// ConversationCreated, and an activity line says so).</param>
    public static async ValueTask<ConversationRow> CreateAsync(CommandContext context, ContactRow contact,
        Dictionary<string, System.Text.Json.JsonElement>? customAttributes, Assignment.AutoAssignment? autoAssignment = null)
    {
        var assignee = autoAssignment is null ? null : await autoAssignment.PickAsync(context.Store, contact.InboxId);
        var now = Clock.NowMs();
        var c = new ConversationRow
        {
            Uuid = Guid.NewGuid().ToString(),
            InboxId = contact.InboxId,
            ContactId = contact.Id,
            Status = ConversationStatuses.Open,
            AssigneeId = assignee?.Id,
            CustomAttributes = JsonText.From(customAttributes),
            CreatedAt = now,
            LastActivityAt = now,
        };
        c.Id = await context.Store.InsertConversationAsync(c);
        context.Raise(new ConversationCreated(c.Snapshot(), contact.PubsubToken, contact.Snapshot()));
        if (assignee is not null) await AppendActivityAsync(context, c, contact.PubsubToken, $"Assigned to {assignee.Name} by auto-assignment");
        return c;
    }

    /// <summary>A change of the conversation's own fields (status, assignee, seen markers); contacts see it, unless
    /// it changes only what agents see (labels, priority: <paramref name="visibleToContact"/> false).</summary>
    /// <param name="changes">What changed, before and after (webhooks' changed_attributes).</param>
    public static async ValueTask UpdateAsync(CommandContext context, ConversationRow c, string contactStream,
        IReadOnlyList<ChangedAttribute> changes, string? previousStatus = null, bool visibleToContact = true)
    {
        await context.Store.RecordChangeAsync(c, visibleToContact);
        // Chatwoot's push data names the assignee in meta.assignee and the contact in meta.sender; the dashboard
        // replaces its copy of the conversation with it.
        var assignee = c.AssigneeId is { } assigneeId ? await context.Store.GetAgentAsync(assigneeId) : null;
        var contact = await context.Store.GetContactAsync(c.ContactId);
        context.Raise(new ConversationUpdated(c.Snapshot(), contactStream, previousStatus, changes, AgentsOnly: !visibleToContact, assignee,
            contact?.Snapshot()));
    }

    public static async ValueTask<MessageRow> AppendMessageAsync(CommandContext context, ConversationRow c, string contactStream,
        Author author, string content, string? echoId, string contentType, string? contentAttributes, bool isPrivate,
        IReadOnlyList<AttachmentRow>? attachments = null, bool callerHasIt = true)
    {
        var now = Clock.NowMs();
        // A private note changes nothing a customer can observe: not its seq, not last_activity_at or list order.
        if (!isPrivate) c.LastActivityAt = now;
        // The customer's message is unread until an agent marks the conversation seen (MarkSeen).
        if (author.Type == SenderTypes.Contact) c.UnreadCount++;
        // Reports: an agent's first public answer (a CSAT question asks, it does not answer).
        if (author.Type == SenderTypes.Agent && !isPrivate && contentType != ContentTypes.InputCsat) c.FirstReplyAt ??= now;
        var message = new MessageRow
        {
            ConversationId = c.Id,
            MessageType = author.Type == SenderTypes.Contact ? MessageTypes.Incoming : MessageTypes.Outgoing,
            Content = content,
            ContentType = contentType,
            ContentAttributes = contentAttributes,
            Private = isPrivate,
            EchoId = echoId,
            SenderType = author.Type,
            SenderId = author.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // Its seqs are taken as it is stored (one statement on a server database).
        await context.Store.AppendMessageAsync(c, message, visibleToContact: !isPrivate);
        foreach (var attachment in attachments ?? [])
        {
            // Claimed as pending, but an expiry sweep on another node may have deleted it since (or a concurrent send taken it).
            if (!await context.Store.AttachToMessageAsync(attachment.Id, message.Id))
                throw ChatException.Invalid("attachment_ids", $"attachment {attachment.Id} is no longer a pending upload of yours");
            attachment.MessageId = message.Id;
        }
        message.Attachments = attachments?.Select(a => a.Snapshot()).ToList() ?? [];
        // The caller's connection has the message as its call's result, unless the call answers something else.
        context.Raise(new MessageCreated(message.Snapshot(), author, c.Snapshot(), contactStream, callerHasIt ? context.Caller.ConnectionId : null));
        return message;
    }

    /// <summary>Chatwoot-style activity line (message_type 2) recording a status or assignee change; for agents
    /// only, so it takes no contact seq.</summary>
    public static async ValueTask AppendActivityAsync(CommandContext context, ConversationRow c, string contactStream, string content)
    {
        var now = Clock.NowMs();
        var message = new MessageRow
        {
            ConversationId = c.Id,
            MessageType = MessageTypes.Activity,
            Content = content,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await context.Store.AppendMessageAsync(c, message, visibleToContact: false);
        context.Raise(new MessageCreated(message.Snapshot(), null, c.Snapshot(), contactStream, null));
    }

    /// <summary>A conversation as an answer shows it: with its contact and assignee, and the given messages
    /// (pushes carry none of these).</summary>
    public static async ValueTask<ConversationDto> AnswerAsync(IStoreReader store, ConversationRow c, bool forContact,
        IReadOnlyList<MessageDto>? messages = null) =>
        ConversationMapper.ToDto(c, forContact, messages, await store.GetContactAsync(c.ContactId),
            c.AssigneeId is { } assigneeId ? await store.GetAgentAsync(assigneeId) : null,
            c.TeamId is { } teamId && !forContact ? await store.GetTeamAsync(teamId) : null);

    /// <summary>The newest page of a conversation, as a reader sees it (answers carry it; pushes do not).</summary>
    public static async ValueTask<IReadOnlyList<MessageDto>> LatestMessagesAsync(IStoreReader store, ConversationRow c, bool forContact, int pageSize)
    {
        var rows = await AttachmentFiles.LoadAsync(store, await store.GetMessagesAsync(new MessageQuery(c.Id, null, null, pageSize, forContact)));
        return ConversationMapper.ToDtos(rows, await Authors.OfMessagesAsync(store, rows), c, forContact);
    }
}
