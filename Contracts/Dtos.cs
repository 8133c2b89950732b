using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatHub.Contracts;

// The wire shapes of API.md. Property names are PascalCase here; the hub serialises them camelCase and the
// REST API snake_case, so one type serves both. Times are Unix seconds, as in Chatwoot.

public static class MessageTypes
{
    public const int Incoming = 0;
    public const int Outgoing = 1;
    public const int Activity = 2;
    public const int Template = 3;
}

public static class ConversationStatuses
{
    public const string Open = "open";
    public const string Pending = "pending";
    public const string Resolved = "resolved";
    /// <summary>Set aside by an agent until <see cref="ConversationDto.SnoozedUntil"/> passes (or, without one, until
    /// the customer writes): either reopens it (Chatwoot's snoozed).</summary>
    public const string Snoozed = "snoozed";
    public static readonly IReadOnlyList<string> All = [Open, Pending, Resolved, Snoozed];
}

/// <summary>A conversation's priority, as Chatwoot's (none is null).</summary>
public static class ConversationPriorities
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Urgent = "urgent";
    public static readonly IReadOnlyList<string> All = [Low, Medium, High, Urgent];
}

public static class SenderTypes
{
    public const string Contact = "contact";
    public const string Agent = "agent";
}

public sealed record SenderDto
{
    public long Id { get; init; }
    public string? Name { get; init; }
    public string Type { get; init; } = SenderTypes.Contact;

    // Beyond id, name and type: what Chatwoot's sender push data shows (the REST API renders it as Chatwoot does);
    // left out when unknown. A contact's email, phone number, identifier, avatar and custom attributes; an agent's
    // availability. Never credentials.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PhoneNumber { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Identifier { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AvatarUrl { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, JsonElement>? CustomAttributes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Availability { get; init; }
    /// <summary>An assignee's role, shown to agents only (with its e-mail), as Chatwoot's agent partial shows it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Role { get; init; }
}

public sealed record MessageDto
{
    public long Id { get; init; }
    public long ConversationId { get; init; }
    /// <summary>The conversation's inbox (Chatwoot's messages carry it).</summary>
    public long InboxId { get; init; }
    /// <summary>The conversation's seq of the latest change to this message (its creation or last update).</summary>
    public long Seq { get; init; }
    public int MessageType { get; init; }
    public string Content { get; init; } = "";
    public string ContentType { get; init; } = "text";
    public JsonElement? ContentAttributes { get; init; }
    public bool Private { get; init; }
    public string Status { get; init; } = "sent";
    public string? EchoId { get; init; }
    public SenderDto? Sender { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    /// <summary>The message's files, as Chatwoot's attachments; empty when none.</summary>
    public IReadOnlyList<AttachmentDto> Attachments { get; init; } = [];
}

/// <summary>A file of a message (or an upload not sent yet: MessageId null), as Chatwoot's attachment push data.
/// DataUrl is the file's unguessable path on the server (relative: resolve it against the server's address).</summary>
public sealed record AttachmentDto
{
    public long Id { get; init; }
    public long? MessageId { get; init; }
    /// <summary>image, audio, video or file.</summary>
    public string FileType { get; init; } = AttachmentFileTypes.File;
    public string? Extension { get; init; }
    public string DataUrl { get; init; } = "";
    /// <summary>The image itself for images; empty for other files.</summary>
    public string ThumbUrl { get; init; } = "";
    public long FileSize { get; init; }
    public string FileName { get; init; } = "";
}

public static class AttachmentFileTypes
{
    public const string Image = "image";
    public const string Audio = "audio";
    public const string Video = "video";
    public const string File = "file";
}

public sealed record ConversationDto
{
    public long Id { get; init; }
    public string Uuid { get; init; } = "";
    public long InboxId { get; init; }
    public long ContactId { get; init; }
    public string Status { get; init; } = ConversationStatuses.Open;
    public long? AssigneeId { get; init; }
    /// <summary>The seq of the latest change this viewer can see.</summary>
    public long Seq { get; init; }
    public Dictionary<string, JsonElement>? CustomAttributes { get; init; }
    public long? ContactLastSeenAt { get; init; }
    public long? AgentLastSeenAt { get; init; }
    public long CreatedAt { get; init; }
    public long LastActivityAt { get; init; }
    /// <summary>The newest page (20 at most) in answers; empty in pushes.</summary>
    public IReadOnlyList<MessageDto> Messages { get; init; } = [];
    /// <summary>The customer's latest CSAT rating (1 to 5), null when it has not rated.</summary>
    public int? CsatRating { get; init; }
    /// <summary>The account labels set on it (titles, in order); agents' only: empty in a contact's view.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>low, medium, high or urgent; null when none (and in a contact's view).</summary>
    public string? Priority { get; init; }
    /// <summary>While snoozed, when it reopens (Unix seconds); null when it waits for the customer, when not snoozed,
    /// and in a contact's view.</summary>
    public long? SnoozedUntil { get; init; }
    /// <summary>The customer's messages since the agents last marked it seen (Chatwoot's unread_count); 0 in a
    /// contact's view.</summary>
    public int UnreadCount { get; init; }
    /// <summary>The conversation's contact, without its credentials (source_id and pubsub_token empty), in answers
    /// that show one conversation or a list; null in pushes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContactDto? Contact { get; init; }
    /// <summary>The assigned agent (id, name, availability), in the same answers as <see cref="Contact"/>; null when
    /// unassigned and in pushes (<see cref="AssigneeId"/> is always there).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SenderDto? Assignee { get; init; }
    /// <summary>The team it is assigned to (Chatwoot's team_id); null when none, and in a contact's view.</summary>
    public long? TeamId { get; init; }
    /// <summary>That team's id and name, in the same answers as <see cref="Contact"/>; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TeamRefDto? Team { get; init; }
}

/// <summary>A team as a conversation names it.</summary>
public sealed record TeamRefDto
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
}

public sealed record ContactDto
{
    public long Id { get; init; }
    public string SourceId { get; init; } = "";
    public string PubsubToken { get; init; } = "";
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? PhoneNumber { get; init; }
    public string? Identifier { get; init; }
    public Dictionary<string, JsonElement>? CustomAttributes { get; init; }
    public bool HmacVerified { get; init; }
    public string? AvatarUrl { get; init; }
    public long CreatedAt { get; init; }
}

public sealed record WorkingHourDto
{
    public int DayOfWeek { get; init; }
    public bool ClosedAllDay { get; init; }
    public bool OpenAllDay { get; init; }
    public int? OpenHour { get; init; }
    public int? OpenMinutes { get; init; }
    public int? CloseHour { get; init; }
    public int? CloseMinutes { get; init; }
}

/// <summary>The inbox as the public client API shows it.</summary>
public record InboxDto
{
    public string Identifier { get; init; } = "";
    public string Name { get; init; } = "";
    public string Timezone { get; init; } = "UTC";
    public bool WorkingHoursEnabled { get; init; }
    public IReadOnlyList<WorkingHourDto> WorkingHours { get; init; } = [];
    public bool IdentityValidationEnabled { get; init; }
    public bool GreetingEnabled { get; init; }
    public string? GreetingMessage { get; init; }
    /// <summary>Chatwoot's CSAT survey switch: resolving a conversation asks the customer for a rating.</summary>
    public bool CsatSurveyEnabled { get; init; }
    /// <summary>in_a_few_minutes, in_a_few_hours or in_a_day (<see cref="ReplyTimes"/>).</summary>
    public string ReplyTime { get; init; } = ReplyTimes.InAFewMinutes;
    /// <summary>What the widget says while the inbox is closed (outside working hours) or no agent is online; null when
    /// none (Chatwoot's out_of_office_message).</summary>
    public string? OutOfOfficeMessage { get; init; }
    /// <summary>The widget asks <see cref="PreChatFormOptions"/>' enabled fields before the first message (Chatwoot's
    /// pre_chat_form_enabled).</summary>
    public bool PreChatFormEnabled { get; init; }
    public PreChatFormOptionsDto PreChatFormOptions { get; init; } = PreChatFields.Default;
    /// <summary>Whether the inbox is within its working hours now (always true when working hours are off); in the public
    /// view only. Independent of <see cref="Online"/>: the widget says "nobody there" when either is false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsOpen { get; init; }
    /// <summary>Whether an agent of the inbox is online now; in the public view only (the widget's header).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Online { get; init; }
    /// <summary>The server's limit per attached file (Limits:MaxAttachmentBytes), so the widget refuses a larger file
    /// before uploading it; in the public view only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxAttachmentBytes { get; init; }
    /// <summary>Sneak peek (issue 27): the widget sends what the customer is typing to the agents before it is sent;
    /// off, the server drops it and the widget does not send it. On by default (as LiveChat).</summary>
    public bool SneakPeekEnabled { get; init; } = true;
    /// <summary>The agent who will most likely answer (issue 27: name and avatar only); in the public view only, and
    /// absent when nobody of the inbox is online.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PredictedAgentDto? PredictedAgent { get; init; }
}

/// <summary>The agent the widget's header shows before the chat starts: the name customers see and the avatar's URL
/// (a path on the server; null when none). Never an email or an id.</summary>
public sealed record PredictedAgentDto
{
    public string Name { get; init; } = "";
    public string? AvatarUrl { get; init; }
}

/// <summary>The inbox as administrators see it: with its id and HMAC secret.</summary>
public sealed record InboxAdminDto : InboxDto
{
    public long Id { get; init; }
    public string HmacToken { get; init; } = "";
    public bool HmacMandatory { get; init; }
    /// <summary>New conversations are assigned to an online member (Chatwoot's enable_auto_assignment).</summary>
    public bool EnableAutoAssignment { get; init; }
    /// <summary>Chatwoot's auto_assignment_config: {max_assignment_limit} (null: no limit).</summary>
    public AutoAssignmentConfigDto AutoAssignmentConfig { get; init; } = new();
}

/// <summary>Chatwoot's inbox auto_assignment_config.</summary>
public sealed record AutoAssignmentConfigDto
{
    /// <summary>Auto-assignment skips an agent with this many open conversations of the inbox; null: no limit.</summary>
    public int? MaxAssignmentLimit { get; init; }
}

public static class AgentRoles
{
    public const string Agent = "agent";
    public const string Administrator = "administrator";
}

/// <summary>What an inbox promises about replies (Chatwoot's reply_time); the widget's header says it.</summary>
public static class ReplyTimes
{
    public const string InAFewMinutes = "in_a_few_minutes";
    public const string InAFewHours = "in_a_few_hours";
    public const string InADay = "in_a_day";
    public static readonly IReadOnlyList<string> All = [InAFewMinutes, InAFewHours, InADay];
}

public static class Availabilities
{
    public const string Online = "online";
    public const string Busy = "busy";
    public const string Offline = "offline";
    public static readonly IReadOnlyList<string> All = [Online, Busy, Offline];
}

public sealed record AgentDto
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string Role { get; init; } = AgentRoles.Agent;
    /// <summary>As others see it: the chosen availability while the agent has a connection open (or had one within the
    /// grace), otherwise offline (Chatwoot's <c>availability_status</c>).</summary>
    public string Availability { get; init; } = Availabilities.Offline;
    /// <summary>What the agent chose (online, busy, offline), connected or not (Chatwoot's <c>availability</c>).</summary>
    public string ChosenAvailability { get; init; } = Availabilities.Offline;
    /// <summary>False once an administrator deactivated the agent: its token opens nothing until it is reactivated.</summary>
    public bool Active { get; init; } = true;
    /// <summary>The agent's own realtime group; shown only to the agent itself.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PubsubToken { get; init; }
    /// <summary>Shown once, in the answer that creates the agent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AccessToken { get; init; }

    // Accounts (issue 24).
    /// <summary>The name customers see, when the agent chose one other than its name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DisplayName { get; init; }
    /// <summary>The agent's avatar (a path on this server), when it has one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AvatarUrl { get; init; }
    /// <summary>Whether the agent has set a password (an invited agent has not yet).</summary>
    public bool PasswordSet { get; init; }
    /// <summary>The one-time link to set a password: in the answer that creates the agent only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AccountLinkDto? Invitation { get; init; }
}

public sealed record TypingEvent
{
    public long ConversationId { get; init; }
    public SenderDto Sender { get; init; } = new();
    public bool IsTyping { get; init; }
}

/// <summary>Sneak peek (issue 27): what the customer is typing in a conversation, not sent yet; to the inbox's agents only.
/// Empty text: the customer cleared the box (the agents' view clears it, as it does on the customer's next message).</summary>
public sealed record SneakPeekEvent
{
    public long ConversationId { get; init; }
    public string Text { get; init; } = "";
}

/// <summary>Agents who joined (<see cref="Added"/>) or left an inbox.</summary>
public sealed record InboxMembersEvent
{
    public long InboxId { get; init; }
    public IReadOnlyList<long> AgentIds { get; init; } = [];
    public bool Added { get; init; }
}

/// <summary>An agent's availability as others see it changed (<see cref="AgentDto.Availability"/>), or they chose another.</summary>
public sealed record PresenceEvent
{
    public long AgentId { get; init; }
    public string Availability { get; init; } = Availabilities.Offline;
    public string ChosenAvailability { get; init; } = Availabilities.Offline;
}

/// <summary>To a contact: whether someone of its inbox is online now (the widget's "We're online"), never who.</summary>
public sealed record InboxAvailabilityEvent
{
    public long InboxId { get; init; }
    public bool Online { get; init; }
}
