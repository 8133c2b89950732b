using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Events;

/// <summary>What happened, as data. A committed command raises these; every sink (SignalR today, /cable and
/// webhooks next) receives them after the commit, in commit order, and decides nothing about who may see them:
/// that is <see cref="Visibility"/>'s. Rows in events are snapshots (later changes by the same command do not
/// touch them).</summary>
public abstract record ChatEvent;

/// <summary>An event about one conversation, with the facts that decide its audience: the conversation's inbox
/// (its agents) and contact (its devices, by pubsub token, as Chatwoot streams).</summary>
public abstract record ConversationEvent(ConversationRow Conversation, string ContactPubsubToken) : ChatEvent;

/// <param name="Contact">The conversation's contact as the use case read it (the push data's meta.sender).</param>
public sealed record ConversationCreated(ConversationRow Conversation, string ContactPubsubToken, ContactRow? Contact = null)
    : ConversationEvent(Conversation, ContactPubsubToken);

/// <summary>What a conversation update was, where Chatwoot names its event after it (<c>assignee.changed</c>,
/// <c>conversation.read</c>); a status change is told by <see cref="ConversationUpdated.PreviousStatus"/>.</summary>
public enum ConversationChange { Other, Assignee, Read }

/// <param name="PreviousStatus">Set when this change was a status change.</param>
/// <param name="Changes">The attributes this change set, with their values before and after (webhooks'
/// changed_attributes); empty when the handler named none.</param>
/// <param name="AgentsOnly">A change of what only agents see (labels, priority): it takes no contact seq and is not
/// pushed to the contact.</param>
/// <param name="Assignee">The assigned agent after the change (the push data's meta.assignee); null when unassigned.</param>
/// <param name="Contact">The conversation's contact as the use case read it (the push data's meta.sender).</param>
public sealed record ConversationUpdated(ConversationRow Conversation, string ContactPubsubToken, string? PreviousStatus = null,
    IReadOnlyList<ChangedAttribute>? Changes = null, bool AgentsOnly = false, AgentRow? Assignee = null, ContactRow? Contact = null)
    : ConversationEvent(Conversation, ContactPubsubToken)
{
    /// <summary>What Chatwoot's dashboard calls this change, from the attributes it set.</summary>
    public ConversationChange Change =>
        Changes?.Any(c => c.Name == "assignee_id") == true ? ConversationChange.Assignee
        : Changes?.Any(c => c.Name is "agent_last_seen_at" or "contact_last_seen_at") == true ? ConversationChange.Read
        : ConversationChange.Other;
}

/// <summary>One attribute a change set, by its Chatwoot name (status, assignee_id, ...), as Rails' previous_changes.</summary>
public sealed record ChangedAttribute(string Name, object? Previous, object? Current);

/// <summary>Who wrote a message or is typing, as a reader is shown it.</summary>
/// <param name="Details">What Chatwoot's sender push data shows beyond the name (never credentials); null when
/// the author is gone.</param>
public sealed record Author(string Type, long Id, string? Name, AuthorDetails? Details = null);

/// <summary>The public facts of a message's author: a contact's email, phone number, identifier, avatar and
/// custom attributes (JSON text), or an agent's availability.</summary>
public sealed record AuthorDetails(
    string? Email = null, string? PhoneNumber = null, string? Identifier = null, string? AvatarUrl = null,
    string? CustomAttributes = null, string? Availability = null);

/// <param name="OriginConnectionId">The connection that sent it: it has the message as its call's result.</param>
public sealed record MessageCreated(MessageRow Message, Author? Sender, ConversationRow Conversation, string ContactPubsubToken,
    string? OriginConnectionId) : ConversationEvent(Conversation, ContactPubsubToken);

public sealed record MessageUpdated(MessageRow Message, Author? Sender, ConversationRow Conversation, string ContactPubsubToken)
    : ConversationEvent(Conversation, ContactPubsubToken);

/// <summary>Not stored: typing indicators go straight to the sinks.</summary>
public sealed record TypingChanged(ConversationRow Conversation, string ContactPubsubToken, Author Typist, bool IsTyping,
    string? OriginConnectionId) : ConversationEvent(Conversation, ContactPubsubToken);

public sealed record ContactCreated(ContactRow Contact) : ChatEvent;

public sealed record ContactUpdated(ContactRow Contact) : ChatEvent;

/// <summary>An agent's effective availability (Application/Presence: the chosen one while connected, else offline)
/// changed, or they chose another.</summary>
public sealed record PresenceChanged(long AgentId, string Availability, string ChosenAvailability) : ChatEvent;

/// <summary>An inbox gained its first online agent or lost its last one: its contacts' widgets say "We're online" or
/// not (they learn only that, never who).</summary>
public sealed record InboxAvailabilityChanged(long InboxId, bool Online) : ChatEvent;

/// <summary>Agents who became members of an inbox: their open connections start receiving its events.</summary>
public sealed record InboxMembersAdded(long InboxId, IReadOnlyList<long> AgentIds) : ChatEvent;

/// <summary>Agents who are no longer members of an inbox: their open connections stop receiving its events.</summary>
public sealed record InboxMembersRemoved(long InboxId, IReadOnlyList<long> AgentIds) : ChatEvent;

/// <summary>An agent was deactivated or reactivated, or got a new access token: connections opened with a credential
/// that no longer opens anything are closed.</summary>
public sealed record AgentCredentialsChanged(long AgentId) : ChatEvent;

/// <summary>An inbox now requires verified contacts (HMAC mandatory): its unverified contacts' connections are closed.</summary>
public sealed record InboxVerificationRequired(long InboxId) : ChatEvent;
