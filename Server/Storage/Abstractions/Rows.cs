namespace ChatHub.Server.Storage;

// Rows as the store keeps them. Times are Unix milliseconds; attributes are JSON text. Every scalar property is a
// column (a document field on LiteDB) of the same name in snake_case, on every engine (RowShape): a new field is a
// property here plus a migration. [WrittenOnce] marks what the row's update (UpdateInbox, RecordChange, ...) never rewrites.

public sealed class InboxRow
{
    [WrittenOnce] public long Id { get; set; }
    [WrittenOnce] public string Identifier { get; set; } = "";
    public string Name { get; set; } = "";
    [WrittenOnce] public string HmacToken { get; set; } = "";
    public bool HmacMandatory { get; set; }
    public string Timezone { get; set; } = "UTC";
    public bool WorkingHoursEnabled { get; set; }
    public string? WorkingHours { get; set; }
    public bool GreetingEnabled { get; set; }
    public string? GreetingMessage { get; set; }
    [WrittenOnce] public long CreatedAt { get; set; }
    /// <summary>Resolving a conversation asks its customer for a rating (an input_csat message).</summary>
    public bool CsatSurveyEnabled { get; set; }
    /// <summary>What the widget's header promises: in_a_few_minutes, in_a_few_hours or in_a_day (Chatwoot's values).</summary>
    public string ReplyTime { get; set; } = global::ChatHub.Contracts.ReplyTimes.InAFewMinutes;
    /// <summary>What the widget says outside working hours or while no agent is online (Chatwoot's out_of_office_message).</summary>
    public string? OutOfOfficeMessage { get; set; }
    /// <summary>The widget asks the pre-chat form's fields before the first message (Chatwoot's pre_chat_form_enabled).</summary>
    public bool PreChatFormEnabled { get; set; }
    /// <summary>The pre-chat form (Chatwoot's pre_chat_form_options: pre_chat_message, pre_chat_fields) as JSON; null:
    /// Chatwoot's default fields.</summary>
    public string? PreChatFormOptions { get; set; }
    /// <summary>New conversations are assigned to an online member at once (Chatwoot's enable_auto_assignment; AutoAssignment).</summary>
    public bool EnableAutoAssignment { get; set; }
    /// <summary>Auto-assignment skips a member with this many open conversations of the inbox (Chatwoot's
    /// auto_assignment_config.max_assignment_limit); null: no limit.</summary>
    public int? MaxAssignmentLimit { get; set; }
    /// <summary>Sneak peek (issue 27): the customer's unsent text reaches the agents. On unless turned off (an older
    /// LiteDB document without the field reads as on, as the SQL column's default).</summary>
    public bool SneakPeekEnabled { get; set; } = true;
    /// <summary>Campaigns and post-chat form (issue 27): the questions the widget asks after the CSAT rating, as JSON
    /// (PostChatForm); null when none.</summary>
    public string? PostChatForm { get; set; }
}

public sealed class AgentRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string Role { get; set; } = "agent";
    public string AccessTokenHash { get; set; } = "";
    public string PubsubToken { get; set; } = "";
    public string Availability { get; set; } = "offline";
    public long CreatedAt { get; set; }
    /// <summary>When an administrator deactivated the agent (its token then opens nothing); null while active.</summary>
    public long? DeactivatedAt { get; set; }
    // Accounts (issue 24): a password (ASP.NET Core Identity's PasswordHasher format; null until the agent sets one),
    // the name customers see (Chatwoot's display_name; the name when null) and the token of its avatar (null: none).
    public string? PasswordHash { get; set; }
    public string? DisplayName { get; set; }
    public string? AvatarToken { get; set; }
}

public sealed class ContactRow
{
    public ContactRow Snapshot() => (ContactRow)MemberwiseClone();

    [WrittenOnce] public long Id { get; set; }
    [WrittenOnce] public long InboxId { get; set; }
    [WrittenOnce] public string SourceId { get; set; } = "";
    [WrittenOnce] public string PubsubToken { get; set; } = "";
    [WrittenOnce] public string PubsubTokenHash { get; set; } = "";
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? PhoneNumber { get; set; }
    public string? Identifier { get; set; }
    public string? CustomAttributes { get; set; }
    public bool HmacVerified { get; set; }
    [WrittenOnce] public long CreatedAt { get; set; }
    public string? AvatarUrl { get; set; }
}

public sealed class ConversationRow
{
    [WrittenOnce] public long Id { get; set; }
    [WrittenOnce] public string Uuid { get; set; } = "";
    [WrittenOnce] public long InboxId { get; set; }
    [WrittenOnce] public long ContactId { get; set; }
    public string Status { get; set; } = "open";
    public long? AssigneeId { get; set; }
    /// <summary>Seq of the latest change (agents' view: every change).</summary>
    public long Seq { get; set; }
    /// <summary>Seq of the latest change the contact can see (private notes do not count).</summary>
    public long ContactSeq { get; set; }
    public string? CustomAttributes { get; set; }
    public long? ContactLastSeenAt { get; set; }
    public long? AgentLastSeenAt { get; set; }
    [WrittenOnce] public long CreatedAt { get; set; }
    public long LastActivityAt { get; set; }
    /// <summary>The customer's latest answer to a CSAT survey (1 to 5), null when none.</summary>
    public int? CsatRating { get; set; }
    /// <summary>The titles of the account labels set on it, as a JSON array in title order; null when none
    /// (ConversationLabels reads and writes it). Titles, as Chatwoot's tags: a label renamed or deleted later stays here
    /// under the title it had until the conversation's labels are set again.</summary>
    public string? Labels { get; set; }
    /// <summary>low, medium, high or urgent; null when none.</summary>
    public string? Priority { get; set; }
    /// <summary>While snoozed: when the snooze sweep reopens it; null otherwise (or when it waits for the customer).</summary>
    public long? SnoozedUntil { get; set; }
    /// <summary>The customer's messages since the agents' last seen marker: counted up by each incoming message, set to 0
    /// when an agent marks the conversation seen (so Chatwoot's unread_count, with no count query per read).</summary>
    public int UnreadCount { get; set; }
    /// <summary>The team it is assigned to (Chatwoot's team_id); null when none. A deleted team's id may stay here: readers
    /// show no team then.</summary>
    public long? TeamId { get; set; }
    /// <summary>Campaigns and post-chat form (issue 27): the customer's answers to the inbox's post-chat form, as JSON
    /// (PostChatForm); null until answered.</summary>
    public string? PostChatAnswers { get; set; }
    /// <summary>Reports (issue 25): when an agent first answered the customer (its first public message; a CSAT question
    /// does not count); null until then. Set in the transaction of that message.</summary>
    public long? FirstReplyAt { get; set; }
    /// <summary>Reports: when it was last resolved (kept when it is reopened); null if never. Set in the transaction of
    /// the status change.</summary>
    public long? ResolvedAt { get; set; }
    /// <summary>Reports: the comment (feedback_message) of the customer's latest CSAT answer; null when none.</summary>
    public string? CsatComment { get; set; }
    /// <summary>Reports: when the customer's latest CSAT answer came; null when none.</summary>
    public long? CsatAt { get; set; }

    /// <summary>A copy that later changes by the same command do not touch (for events).</summary>
    public ConversationRow Snapshot() => (ConversationRow)MemberwiseClone();
}

/// <summary>An account label (Chatwoot's labels): conversations carry labels by title.</summary>
public sealed class LabelRow
{
    [WrittenOnce] public long Id { get; set; }
    /// <summary>Lower case, unique.</summary>
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>#rrggbb.</summary>
    public string Color { get; set; } = "#1f93ff";
    public bool ShowOnSidebar { get; set; }
    [WrittenOnce] public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A team of agents (Chatwoot's teams): conversations may be assigned to it.</summary>
public sealed class TeamRow
{
    [WrittenOnce] public long Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    [WrittenOnce] public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A member of an inbox and its open conversations of that inbox (auto-assignment's round robin):
/// how many, and when the newest of them was created (null when none).</summary>
public sealed record MemberLoad(long AgentId, int OpenAssigned, long? NewestAssignedAt);

public sealed class MessageRow
{
    [WrittenOnce] public long Id { get; set; }
    [WrittenOnce] public long ConversationId { get; set; }
    public long Seq { get; set; }
    /// <summary>Null for a message the contact never sees (private notes and activity lines, as Visibility.ContactSees
    /// decides when it is written): the audience rule is stored here once, and every engine's contact reads
    /// (<see cref="MessageQuery.ForContact"/>) keep only the messages that have one.</summary>
    public long? ContactSeq { get; set; }
    [WrittenOnce] public int MessageType { get; set; }
    public string Content { get; set; } = "";
    [WrittenOnce] public string ContentType { get; set; } = "text";
    public string? ContentAttributes { get; set; }
    [WrittenOnce] public bool Private { get; set; }
    [WrittenOnce] public string? EchoId { get; set; }
    [WrittenOnce] public string? SenderType { get; set; }
    [WrittenOnce] public long? SenderId { get; set; }
    [WrittenOnce] public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    /// <summary>Not a column: the message's files, loaded beside it by the use cases (Attachments.LoadAsync) so that
    /// answers and events (MessageCreated) carry them.</summary>
    public IReadOnlyList<AttachmentRow> Attachments { get; set; } = [];

    public MessageRow Snapshot() => (MessageRow)MemberwiseClone();
}

/// <summary>An uploaded file's facts (its bytes are stored beside it). Pending while MessageId is null: only its
/// uploader may send it, once.</summary>
public sealed class AttachmentRow
{
    public long Id { get; set; }
    /// <summary>128 random bits (hex): the file's URL is its only credential.</summary>
    public string Token { get; set; } = "";
    public string UploaderType { get; set; } = "";
    public long UploaderId { get; set; }
    /// <summary>The inbox of the contact who uploaded it (the inbox's upload budget); null for an agent's upload.</summary>
    public long? InboxId { get; set; }
    public long? MessageId { get; set; }
    public string FileName { get; set; } = "";
    /// <summary>image, audio, video or file.</summary>
    public string FileType { get; set; } = "file";
    public string? Extension { get; set; }
    /// <summary>The type it is served with, from its first bytes, never the uploader's word.</summary>
    public string ContentType { get; set; } = "application/octet-stream";
    public long FileSize { get; set; }
    public long CreatedAt { get; set; }

    public AttachmentRow Snapshot() => (AttachmentRow)MemberwiseClone();
}

/// <summary>How many bytes a scope (an uploader, an inbox) stored in a window, and when the oldest of them was stored
/// (null when none): the window's sum drops no sooner than that upload leaves it.</summary>
public sealed record UploadedBytes(long Bytes, long? OldestAt);

/// <param name="AssignedOnly">Only conversations someone is assigned (Chatwoot's assignee_type=assigned).</param>
/// <param name="Labels">When given (not empty), only conversations that carry any of these stored (lower-case) label
/// titles (Chatwoot's <c>tagged_with(labels, any: true)</c>).</param>
/// <param name="Search">When given, only the conversation whose id it is, or the conversations whose contact's name,
/// email, phone number or identifier contains it (<see cref="ConversationSearch"/>).</param>
/// <param name="TeamId">When given, only the conversations assigned to this team (Chatwoot's team_id).</param>
public sealed record ConversationFilter(
    IReadOnlyList<long> InboxIds, string? Status, long? AssigneeId, bool UnassignedOnly, int Offset, int Limit, bool AssignedOnly = false,
    IReadOnlyList<string>? Labels = null, string? Search = null, long? TeamId = null);

/// <summary>Contacts of some inboxes (of every inbox when <paramref name="InboxIds"/> is null), newest first (by id).
/// <paramref name="Search"/>, when given, keeps the contacts whose name, email, phone number or identifier contains
/// it ignoring case (ASCII letters on every engine), or whose id it is.</summary>
public sealed record ContactFilter(IReadOnlyList<long>? InboxIds, string? Search, int Offset, int Limit);

/// <summary>A page of a conversation: before a message id (older history), after a seq (resync), or the newest. For a
/// contact (<paramref name="ForContact"/>): only the messages with a contact seq, resynced along it.</summary>
public sealed record MessageQuery(long ConversationId, long? Before, long? AfterSeq, int Limit, bool ForContact);

public sealed class WebhookRow
{
    [WrittenOnce] public long Id { get; set; }
    public string Url { get; set; } = "";
    /// <summary>The event names it receives, as a JSON array of strings.</summary>
    public string Subscriptions { get; set; } = "[]";
    /// <summary>The HMAC-SHA256 key of its signatures.</summary>
    [WrittenOnce] public string Secret { get; set; } = "";
    [WrittenOnce] public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>One event to one webhook (the outbox): written in the transaction of the change it reports, sent
/// later, in id order per webhook.</summary>
public sealed class WebhookDeliveryRow
{
    public long Id { get; set; }
    public long WebhookId { get; set; }
    /// <summary>X-Chatwoot-Delivery: the same on every attempt.</summary>
    public string DeliveryId { get; set; } = "";
    public string Event { get; set; } = "";
    /// <summary>The JSON body, exactly as it is sent (and signed).</summary>
    public string Payload { get; set; } = "";
    public string Status { get; set; } = DeliveryStatuses.Pending;
    public int Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>Until when a node holds it for an attempt; another node may take it after that (the holder died).</summary>
    public long? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public long CreatedAt { get; set; }
    public long? DeliveredAt { get; set; }
}

/// <summary>The outcome of an attempt, written only by the node that holds the delivery's lease.</summary>
/// <param name="Status">Delivered, Failed (no more attempts), or Pending (another attempt at NextAttemptAt).</param>
public sealed record DeliveryOutcome(long DeliveryId, string LeaseOwner, string Status, long NextAttemptAt, string? Error, long Now);

/// <summary>Email: a conversation whose agent replies may have to be emailed to its contact (replies while the customer is
/// away): at most one per conversation, from its earliest reply not yet emailed. Every node's sweep claims due ones with a
/// lease, so one node emails them, once (Channels/Email/ReplyEmailSweep).</summary>
public sealed class ReplyEmailRow
{
    public long ConversationId { get; set; }
    /// <summary>The earliest agent reply this email may carry; later ones of the same conversation join it.</summary>
    public long FromMessageId { get; set; }
    /// <summary>When the sweep looks at it: that reply's time plus Email:ReplyDelaySeconds (or a retry's time).</summary>
    public long DueAt { get; set; }
    /// <summary>Claims so far (each claim is an attempt); past Email:MaxAttempts the email is given up.</summary>
    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntil { get; set; }
}
