namespace ChatHub.Server.Storage;

/// <summary>The store contract every engine meets (SQLite now; PostgreSQL and LiteDB next), and what the store
/// conformance suite (Server.Tests/Storage) checks on each:
/// <list type="bullet">
/// <item>a read sees one consistent snapshot;</item>
/// <item>a write runs in a transaction of its own: it may share a physical commit with other writes (group commit)
/// but fails and rolls back alone (its caller gets the exception the command threw); its task completes only once
/// the commit is durable;</item>
/// <item>after-commit actions of committed writes run in commit order, before their callers resume, and never for
/// a write that failed (with several writers: in commit order among the writes of one <see cref="WriteOrder"/>);</item>
/// <item>a conversation's seq (and contact seq) are allocated atomically by <see cref="IStoreTransaction.RecordChangeAsync"/>,
/// gap-free, even with several store instances on one database;</item>
/// <item>lookups by key match exactly, case included (identifiers, source ids, token hashes, echoIds), except agent
/// emails, which ignore case;</item>
/// <item>disposing a store commits the writes already handed to it; opening one migrates the database, safely
/// when several open it at once.</item>
/// </list>
/// No SQL, savepoints or engine types cross this line. Everything returns ValueTask: SQLite completes
/// synchronously (no allocation), a server database awaits the network.</summary>
public interface IChatStore
{
    Task<T> ReadAsync<T>(Func<IStoreReader, ValueTask<T>> query, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="command"/> in its own transaction. The command must await nothing but the
    /// store inside it (a single-writer engine runs it on its writer).</summary>
    Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="command"/> as <see cref="WriteAsync{T}(Func{IStoreTransaction, ValueTask{T}}, CancellationToken)"/>,
    /// in commit order with the other writes of the same <paramref name="order"/> (their after-commit actions too);
    /// writes of different orders may commit in parallel, on a store with several writers. A single writer keeps them
    /// all in one order.</summary>
    Task<T> WriteAsync<T>(WriteOrder order, Func<IStoreTransaction, ValueTask<T>> command, CancellationToken cancellationToken = default) =>
        WriteAsync(command, cancellationToken);
}

public interface IStoreReader
{
    ValueTask<InboxRow?> FindInboxByIdentifierAsync(string identifier);
    ValueTask<InboxRow?> GetInboxAsync(long id);
    ValueTask<IReadOnlyList<InboxRow>> ListInboxesAsync();
    ValueTask<bool> AnyInboxAsync();
    ValueTask<IReadOnlyList<long>> InboxIdsOfAgentAsync(long agentId);
    ValueTask<bool> IsMemberAsync(long inboxId, long agentId);
    ValueTask<IReadOnlyList<long>> MembersOfAsync(long inboxId);

    ValueTask<AgentRow?> FindAgentByTokenHashAsync(string accessTokenHash);
    /// <summary>Ignores case: an email is one agent whatever its case.</summary>
    ValueTask<AgentRow?> FindAgentByEmailAsync(string email);
    ValueTask<AgentRow?> GetAgentAsync(long id);
    /// <summary>Every agent, by id (for the administrators' list).</summary>
    ValueTask<IReadOnlyList<AgentRow>> ListAgentsAsync();

    ValueTask<ContactRow?> FindContactBySourceIdAsync(long inboxId, string sourceId);
    ValueTask<ContactRow?> FindContactByTokenHashAsync(string pubsubTokenHash);
    /// <summary>Only contacts whose identifier was proven by an HMAC hash: an unproven one is never handed out. Of
    /// several, the first created (lowest id).</summary>
    ValueTask<ContactRow?> FindVerifiedContactByIdentifierAsync(long inboxId, string identifier);
    ValueTask<ContactRow?> GetContactAsync(long id);
    /// <summary>A page of contacts and how many match in all (<see cref="ContactFilter"/>).</summary>
    ValueTask<(IReadOnlyList<ContactRow> Page, int Total)> ListContactsAsync(ContactFilter filter);

    ValueTask<ConversationRow?> GetConversationAsync(long id);
    /// <summary>A contact's conversations, newest activity first.</summary>
    ValueTask<IReadOnlyList<ConversationRow>> ListConversationsOfContactAsync(long contactId);
    ValueTask<(IReadOnlyList<ConversationRow> Page, int Total)> ListConversationsAsync(ConversationFilter filter);

    /// <summary>Snoozed conversations whose snooze ended at or before <paramref name="now"/>, the earliest first (at most
    /// <paramref name="max"/>): the snooze sweep reopens them.</summary>
    ValueTask<IReadOnlyList<long>> ListSnoozeEndedAsync(long now, int max);

    /// <summary>Every account label, by title.</summary>
    ValueTask<IReadOnlyList<LabelRow>> ListLabelsAsync();
    ValueTask<LabelRow?> GetLabelAsync(long id);
    /// <summary>Exact match (titles are stored in lower case).</summary>
    ValueTask<LabelRow?> FindLabelByTitleAsync(string title);

    ValueTask<MessageRow?> GetMessageAsync(long id);
    ValueTask<MessageRow?> FindMessageByEchoAsync(long conversationId, string senderType, long senderId, string echoId);
    /// <summary>The conversation a contact started with this echoId on its first message, if any.</summary>
    ValueTask<long?> FindConversationStartedWithAsync(long contactId, string echoId);
    ValueTask<IReadOnlyList<MessageRow>> GetMessagesAsync(MessageQuery query);

    ValueTask<IReadOnlyList<WebhookRow>> ListWebhooksAsync();
    ValueTask<WebhookRow?> GetWebhookAsync(long id);
    /// <summary>A webhook's deliveries, newest first.</summary>
    ValueTask<IReadOnlyList<WebhookDeliveryRow>> ListDeliveriesAsync(long webhookId, int limit);
    /// <summary>Deliveries still to be sent (the backlog).</summary>
    ValueTask<long> CountPendingDeliveriesAsync();
    /// <summary>An attachment's facts, without its bytes.</summary>
    ValueTask<AttachmentRow?> GetAttachmentAsync(long id);
    /// <summary>The attachments of these messages, by id.</summary>
    ValueTask<IReadOnlyList<AttachmentRow>> GetAttachmentsOfMessagesAsync(IReadOnlyList<long> messageIds);
    /// <summary>An attachment's facts by its token (exact match), without its bytes.</summary>
    ValueTask<AttachmentRow?> FindAttachmentByTokenAsync(string token);
    /// <summary>Copies an attachment's bytes from <paramref name="offset"/> into <paramref name="into"/>, as many as fit
    /// and remain, and answers how many: 0 at or past its end, or when it is gone (deleted meanwhile). A short read of a
    /// bounded slice: a download reads its file slice by slice, each in a read of its own, so that no connection or
    /// snapshot waits on a slow client and no file is ever in memory whole.</summary>
    ValueTask<int> ReadAttachmentAsync(long attachmentId, long offset, Memory<byte> into);
    /// <summary>What an uploader (contact or agent) stored since <paramref name="since"/> (created_at at or after it),
    /// sent or pending, for its upload budget.</summary>
    ValueTask<UploadedBytes> UploadedBySenderSinceAsync(string uploaderType, long uploaderId, long since);
    /// <summary>What the contacts of an inbox stored since <paramref name="since"/>, for the inbox's upload budget.</summary>
    ValueTask<UploadedBytes> UploadedInInboxSinceAsync(long inboxId, long since);

    // ---- Accounts (issue 24): agents' sessions and one-time links, avatars.
    /// <summary>A session or link by the lookup hash of its secret (exact match), expired or not.</summary>
    ValueTask<AgentSecretRow?> FindAgentSecretAsync(string tokenHash);
    /// <summary>An agent's secrets of one purpose, oldest first.</summary>
    ValueTask<IReadOnlyList<AgentSecretRow>> ListAgentSecretsAsync(long agentId, string purpose);
    /// <summary>An avatar by its token (exact match).</summary>
    ValueTask<AgentAvatarRow?> FindAgentAvatarAsync(string token);

    // ---- teams and auto-assignment (issue 24, assignment)

    /// <summary>Every team, by id.</summary>
    ValueTask<IReadOnlyList<TeamRow>> ListTeamsAsync();
    ValueTask<TeamRow?> GetTeamAsync(long id);
    /// <summary>The agents of a team, by id.</summary>
    ValueTask<IReadOnlyList<long>> TeamMembersOfAsync(long teamId);
    /// <summary>Every member of the inbox (by agent id) with its open conversations of that inbox (<see cref="MemberLoad"/>).</summary>
    ValueTask<IReadOnlyList<MemberLoad>> MemberLoadsAsync(long inboxId);

    // ---- canned responses (issue 25)

    /// <summary>Every canned response, by short code (ordinal).</summary>
    ValueTask<IReadOnlyList<CannedResponseRow>> ListCannedResponsesAsync();
    ValueTask<CannedResponseRow?> GetCannedResponseAsync(long id);
    /// <summary>Exact match, case included.</summary>
    ValueTask<CannedResponseRow?> FindCannedResponseByShortCodeAsync(string shortCode);

    // ---- contact notes (issue 25)

    /// <summary>A contact's notes, newest first (by creation time, then id).</summary>
    ValueTask<IReadOnlyList<ContactNoteRow>> ListContactNotesAsync(long contactId);
    ValueTask<ContactNoteRow?> GetContactNoteAsync(long id);

    // ---- campaigns (issue 27)

    /// <summary>Every campaign, newest first (by id, descending).</summary>
    ValueTask<IReadOnlyList<CampaignRow>> ListCampaignsAsync();
    /// <summary>The campaigns of one inbox, newest first.</summary>
    ValueTask<IReadOnlyList<CampaignRow>> ListCampaignsOfInboxAsync(long inboxId);
    ValueTask<CampaignRow?> GetCampaignAsync(long id);
    // ---- reports (issue 25)

    /// <summary>The conversations with report activity in the period (<see cref="ReportQuery"/>), each once, along
    /// indexes on created_at, first_reply_at, resolved_at and csat_at (a report never reads messages).</summary>
    ValueTask<IReadOnlyList<ReportFactRow>> ListReportFactsAsync(ReportQuery query);

    // ---- search (issue 25)

    /// <summary>Messages whose text has a word starting with each of the search's words (<see cref="SearchWords"/>):
    /// incoming and outgoing ones, private notes included, never activity lines; newest first (<see cref="MessageSearch"/>).
    /// Served by a full-text index on every engine (FTS5, a GIN index, a word index), kept by the message writes.</summary>
    ValueTask<IReadOnlyList<MessageRow>> SearchMessagesAsync(MessageSearch search);
}

public interface IStoreTransaction : IStoreReader
{
    /// <summary>Reads a conversation and holds it against concurrent changes until this transaction ends (a row
    /// lock on a server database; a single writer has nothing to lock). Read it this way before checking an
    /// echoId and recording a change, so that concurrent retries cannot both miss the original.</summary>
    ValueTask<ConversationRow?> GetConversationForUpdateAsync(long id);

    /// <summary>Reads a contact and holds it until this transaction ends, as <see cref="GetConversationForUpdateAsync"/>:
    /// a contact's concurrent retries of a StartConversation cannot both miss the conversation the first created.</summary>
    ValueTask<ContactRow?> GetContactForUpdateAsync(long id);

    ValueTask<long> InsertInboxAsync(InboxRow inbox);
    ValueTask<long> InsertAgentAsync(AgentRow agent);
    /// <summary>Adding an agent that is a member already is no error.</summary>
    ValueTask AddMemberAsync(long inboxId, long agentId);
    /// <summary>Removing an agent that is no member is no error; false when there was none.</summary>
    ValueTask<bool> RemoveMemberAsync(long inboxId, long agentId);
    ValueTask SetAvailabilityAsync(long agentId, string availability);
    /// <summary>Replaces an agent's access token (its lookup hash) and its pubsub token together: the old ones stop
    /// working (a reset revokes both, whichever leaked).</summary>
    ValueTask SetAgentTokensAsync(long agentId, string accessTokenHash, string pubsubToken);
    /// <summary>Deactivates an agent (a time) or reactivates it (null).</summary>
    ValueTask SetDeactivatedAsync(long agentId, long? deactivatedAt);
    ValueTask<long> InsertContactAsync(ContactRow contact);
    ValueTask UpdateContactAsync(ContactRow contact);

    /// <summary>Inserts a new conversation at seq 0 (contact seq 0).</summary>
    ValueTask<long> InsertConversationAsync(ConversationRow conversation);

    /// <summary>One change to a conversation: writes its mutable fields (status, assignee, custom attributes, seen
    /// markers, last activity) and takes its next seq, and its next contact seq when the change is visible to the
    /// contact, in one atomic step. Sets <paramref name="conversation"/>'s Seq and ContactSeq to the new values.</summary>
    ValueTask RecordChangeAsync(ConversationRow conversation, bool visibleToContact);

    /// <summary>A title another label has already breaks a unique constraint (the command fails).</summary>
    ValueTask<long> InsertLabelAsync(LabelRow label);
    /// <summary>Writes its title, description, color, sidebar switch and update time.</summary>
    ValueTask UpdateLabelAsync(LabelRow label);
    /// <summary>False when there was none.</summary>
    ValueTask<bool> DeleteLabelAsync(long id);

    ValueTask<long> InsertMessageAsync(MessageRow message);

    /// <summary>A new message as a change of its conversation: <see cref="RecordChangeAsync"/>, then the message inserted
    /// with the seq (and, when the contact sees it, the contact seq) that change took; one statement on a server
    /// database. Sets the conversation's seqs and the message's Seq, ContactSeq and Id; returns the Id.</summary>
    async ValueTask<long> AppendMessageAsync(ConversationRow conversation, MessageRow message, bool visibleToContact)
    {
        await RecordChangeAsync(conversation, visibleToContact);
        (message.Seq, message.ContactSeq) = (conversation.Seq, visibleToContact ? conversation.ContactSeq : null);
        return message.Id = await InsertMessageAsync(message);
    }
    /// <summary>Writes a message's content attributes, seq, contact seq and update time.</summary>
    ValueTask UpdateMessageAsync(MessageRow message);

    ValueTask<long> InsertWebhookAsync(WebhookRow webhook);
    /// <summary>Writes its url, subscriptions and update time.</summary>
    ValueTask UpdateWebhookAsync(WebhookRow webhook);
    /// <summary>Deletes it and its deliveries; false when there was none.</summary>
    ValueTask<bool> DeleteWebhookAsync(long id);

    ValueTask<long> InsertDeliveryAsync(WebhookDeliveryRow delivery);

    /// <summary>Takes, for each webhook, its oldest pending delivery if it is due and nobody holds it, and holds it
    /// for <paramref name="owner"/> until <paramref name="leaseUntil"/> (at most <paramref name="max"/>). Atomic
    /// across nodes: a delivery is taken by one node at a time, and a webhook's later deliveries wait for its
    /// oldest, so each webhook gets its deliveries in order.</summary>
    ValueTask<IReadOnlyList<WebhookDeliveryRow>> ClaimDueDeliveriesAsync(string owner, long now, long leaseUntil, int max);

    /// <summary>Records an attempt (attempts + 1, the lease released, the last error kept when it succeeded) if <see cref="DeliveryOutcome.LeaseOwner"/>
    /// still holds the delivery; false when it does not (its lease ran out and another node took it).</summary>
    ValueTask<bool> RecordAttemptAsync(DeliveryOutcome outcome);

    /// <summary>Deletes up to <paramref name="max"/> deliveries that are done (delivered or failed) and were created
    /// before <paramref name="createdBefore"/>; never a pending one. Returns how many went.</summary>
    ValueTask<int> PruneDeliveriesAsync(long createdBefore, int max);
    /// <summary>Stores a pending upload (MessageId null) with its <see cref="AttachmentRow.FileSize"/> bytes, read from
    /// <paramref name="content"/> at its position and stored slice by slice (never the whole file in memory). Content that
    /// ends before FileSize bytes throws <see cref="InvalidDataException"/>; bytes after them are not read.</summary>
    ValueTask<long> InsertAttachmentAsync(AttachmentRow attachment, Stream content);
    /// <summary>Sends a pending upload with a message: false when it is no longer pending (sent already, or expired and
    /// deleted by a concurrent <see cref="DeletePendingAttachmentsAsync"/>).</summary>
    ValueTask<bool> AttachToMessageAsync(long attachmentId, long messageId);
    /// <summary>Deletes up to <paramref name="max"/> pending uploads (never sent) created before
    /// <paramref name="createdBefore"/>, with their bytes; never an attachment of a message. Returns how many went.</summary>
    ValueTask<int> DeletePendingAttachmentsAsync(long createdBefore, int max);
    /// <summary>Writes an inbox's settings (name, greeting, working hours, timezone, HMAC mandatory, CSAT survey).</summary>
    ValueTask UpdateInboxAsync(InboxRow inbox);

    // ---- Email: replies while the customer is away (Channels/Email). Durable, so a restart or a dead node loses none;
    // claimed with a lease, so several nodes email each batch once.

    /// <summary>Records that <paramref name="row"/>'s conversation has a reply to email from its FromMessageId at its DueAt,
    /// unless the conversation has one already (the earlier reply's email will carry this one too).</summary>
    ValueTask ScheduleReplyEmailAsync(ReplyEmailRow row);

    /// <summary>Takes up to <paramref name="max"/> reply emails due at <paramref name="now"/> that nobody holds (or whose
    /// holder's lease ran out), holds them for <paramref name="owner"/> until <paramref name="leaseUntil"/> and counts the
    /// attempt. Atomic across nodes: one node at a time holds each.</summary>
    ValueTask<IReadOnlyList<ReplyEmailRow>> ClaimDueReplyEmailsAsync(string owner, long now, long leaseUntil, int max);

    /// <summary>Deletes the conversation's reply email if <paramref name="owner"/> still holds it; false when it does not.</summary>
    ValueTask<bool> DeleteReplyEmailAsync(long conversationId, string owner);

    // ---- Accounts (issue 24)
    /// <summary>Sets (or clears, null) an agent's password hash.</summary>
    ValueTask SetAgentPasswordAsync(long agentId, string? passwordHash);
    /// <summary>Writes an agent's name and display name (null: the name is shown).</summary>
    ValueTask SetAgentNamesAsync(long agentId, string name, string? displayName);
    /// <summary>Replaces an agent's avatar (null removes it) and sets the agent's <see cref="AgentRow.AvatarToken"/> to the
    /// new one's token; the old image is deleted.</summary>
    ValueTask SetAgentAvatarAsync(long agentId, AgentAvatarRow? avatar);
    ValueTask<long> InsertAgentSecretAsync(AgentSecretRow secret);
    /// <summary>Writes a session's last use and expiry.</summary>
    ValueTask TouchAgentSecretAsync(long id, long lastUsedAt, long expiresAt);
    /// <summary>Deletes one secret; false when it was gone already (so a link is used once, even by two racing requests).</summary>
    ValueTask<bool> DeleteAgentSecretAsync(long id);
    /// <summary>Deletes an agent's secrets of one purpose (every one, or those expired at or before <paramref name="expiredBy"/>);
    /// returns how many went.</summary>
    ValueTask<int> DeleteAgentSecretsAsync(long agentId, string purpose, long? expiredBy = null);

    // ---- teams and auto-assignment (issue 24, assignment)

    /// <summary>Reads an inbox and holds it until this transaction ends (a row lock on a server database): auto-assignments
    /// in one inbox run one at a time, on every node, so each sees the loads the one before left.</summary>
    ValueTask<InboxRow?> GetInboxForUpdateAsync(long id);
    ValueTask<long> InsertTeamAsync(TeamRow team);
    /// <summary>Writes its name, description and update time.</summary>
    ValueTask UpdateTeamAsync(TeamRow team);
    /// <summary>Deletes it and its memberships; false when there was none.</summary>
    ValueTask<bool> DeleteTeamAsync(long id);
    /// <summary>Adding a member twice is no error.</summary>
    ValueTask AddTeamMemberAsync(long teamId, long agentId);
    /// <summary>False when the agent was no member.</summary>
    ValueTask<bool> RemoveTeamMemberAsync(long teamId, long agentId);

    // ---- canned responses (issue 25)

    /// <summary>A short code another canned response has already breaks a unique constraint (the command fails).</summary>
    ValueTask<long> InsertCannedResponseAsync(CannedResponseRow cannedResponse);
    /// <summary>Writes its short code, content and update time.</summary>
    ValueTask UpdateCannedResponseAsync(CannedResponseRow cannedResponse);
    /// <summary>False when there was none.</summary>
    ValueTask<bool> DeleteCannedResponseAsync(long id);

    // ---- contact notes (issue 25)

    ValueTask<long> InsertContactNoteAsync(ContactNoteRow note);
    /// <summary>Writes its content and update time.</summary>
    ValueTask UpdateContactNoteAsync(ContactNoteRow note);
    /// <summary>False when there was none.</summary>
    ValueTask<bool> DeleteContactNoteAsync(long id);

    // ---- campaigns (issue 27)

    ValueTask<long> InsertCampaignAsync(CampaignRow campaign);
    /// <summary>Writes every field but its id, inbox and creation time.</summary>
    ValueTask UpdateCampaignAsync(CampaignRow campaign);
    /// <summary>False when there was none.</summary>
    ValueTask<bool> DeleteCampaignAsync(long id);

    /// <summary>Runs after this transaction commits, in commit order (never if it fails).</summary>
    void AfterCommit(Action action);
}
