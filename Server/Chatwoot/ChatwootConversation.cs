using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Chatwoot;

/// <summary>A conversation as <c>Conversations::EventDataPresenter#push_data</c>
/// (app/presenters/conversations/event_data_presenter.rb), which is also <c>Conversation#webhook_data</c>: /cable's
/// conversation events and every webhook's conversation. ChatHub keeps no first reply or waiting time yet: null / 0.
/// It adds uuid, account_id, assignee_id and seq, and leaves out
/// <c>contact_inbox</c> (the customer's credentials) and the group fields.</summary>
public sealed record ConversationPushData(
    Dictionary<string, JsonElement> AdditionalAttributes, bool CanReply, string Channel, long Id, long InboxId,
    IReadOnlyList<MessageData> Messages, IReadOnlyList<string> Labels, ConversationPushMeta Meta, string Status,
    Dictionary<string, JsonElement> CustomAttributes, string? SnoozedUntil, int UnreadCount, string? FirstReplyCreatedAt,
    string? Priority, long WaitingSince, long AgentLastSeenAt, long ContactLastSeenAt, long LastActivityAt, long Timestamp,
    long CreatedAt, string Uuid, long AccountId, long? AssigneeId, long Seq);

/// <summary>push_data's meta: the customer and the assignee as push data (null when unknown or nobody).</summary>
public sealed record ConversationPushMeta(
    ContactPushData? Sender, UserPushData? Assignee, string? AssigneeType, TeamPushData? Team, bool? HmacVerified);

/// <summary>A conversation as the application API renders it (app/views/api/v1/conversations/partials/
/// _conversation.json.jbuilder): <c>messages</c> is [the last message], meta.assignee the <c>_agent</c> partial
/// (left out when nobody is assigned). ChatHub adds contact_id, assignee_id and seq.</summary>
public sealed record ConversationData(
    ConversationMeta Meta, long Id, IReadOnlyList<MessageData> Messages, long AccountId, string Uuid,
    Dictionary<string, JsonElement> AdditionalAttributes, long AgentLastSeenAt, long AssigneeLastSeenAt, bool CanReply,
    long ContactLastSeenAt, Dictionary<string, JsonElement> CustomAttributes, long InboxId, IReadOnlyList<string> Labels, bool Muted,
    string? SnoozedUntil, string Status, long CreatedAt, long Timestamp, long FirstReplyCreatedAt, int UnreadCount,
    MessageData? LastNonActivityMessage, long LastActivityAt, string? Priority, long WaitingSince, long ContactId, long? AssigneeId,
    long Seq);

public sealed record ConversationMeta(
    ContactPushData? Sender, string Channel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AgentData? Assignee, bool? HmacVerified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TeamPushData? Team = null);

/// <summary>A team as <c>Team#push_event_data</c>: its id and name.</summary>
public sealed record TeamPushData(long Id, string Name);

/// <summary>A conversation as the client API renders it (app/views/public/api/v1/models/_conversation.json.jbuilder):
/// its chat messages (ChatHub: the newest page, oldest first) and its contact record. ChatHub adds contact_id,
/// assignee_id, seq, custom_attributes, created_at, timestamp and last_activity_at.</summary>
public sealed record PublicConversation(
    long Id, string Uuid, long InboxId, long ContactLastSeenAt, string Status, long AgentLastSeenAt, IReadOnlyList<MessageData> Messages,
    ContactRecord? Contact, long ContactId, long? AssigneeId, long Seq, Dictionary<string, JsonElement> CustomAttributes,
    long CreatedAt, long Timestamp, long LastActivityAt);

public static class ChatwootConversation
{
    private static readonly Dictionary<string, JsonElement> None = [];

    /// <param name="c">The conversation as its reader sees it, with its contact and assignee when known and its
    /// newest messages (oldest first), from which the last chat message and the unread count are taken.</param>
    public static ConversationPushData PushData(ConversationDto c)
    {
        var unread = UnreadCount(c);
        var lastChat = c.Messages.LastOrDefault(m => !m.Private && m.MessageType != MessageTypes.Activity);
        return new ConversationPushData(None, true, ChatwootInbox.Channel, c.Id, c.InboxId,
            lastChat is null ? [] : [ChatwootMessage.Data(lastChat, ChatwootMessage.Conversation(c, unread))], c.Labels,
            new ConversationPushMeta(c.Contact is null ? null : ChatwootContact.PushData(c.Contact),
                c.Assignee is null ? null : ChatwootUser.PushData(c.Assignee), c.Assignee is null ? null : "User",
                c.Team is null ? null : new TeamPushData(c.Team.Id, c.Team.Name),
                c.Contact?.HmacVerified),
            c.Status, c.CustomAttributes ?? None, ChatwootJson.Time(c.SnoozedUntil), unread, null, c.Priority, 0, c.AgentLastSeenAt ?? 0, c.ContactLastSeenAt ?? 0,
            c.LastActivityAt, c.LastActivityAt, c.CreatedAt, c.Uuid, ChatwootAccount.Id, c.AssigneeId, c.Seq);
    }

    /// <param name="c">The conversation as an agent sees it, with its newest messages (oldest first).</param>
    public static ConversationData Data(ConversationDto c)
    {
        var unread = UnreadCount(c);
        var facts = ChatwootMessage.Conversation(c, unread);
        var last = c.Messages.LastOrDefault();
        var lastNonActivity = c.Messages.LastOrDefault(m => m.MessageType != MessageTypes.Activity);
        return new ConversationData(
            new ConversationMeta(c.Contact is null ? null : ChatwootContact.PushData(c.Contact), ChatwootInbox.Channel,
                c.Assignee is null ? null : ChatwootUser.Agent(c.Assignee), c.Contact?.HmacVerified,
                c.Team is null ? null : new TeamPushData(c.Team.Id, c.Team.Name)),
            c.Id, last is null ? [] : [ChatwootMessage.Data(last, facts)], ChatwootAccount.Id, c.Uuid, None, c.AgentLastSeenAt ?? 0, 0, true,
            c.ContactLastSeenAt ?? 0, c.CustomAttributes ?? None, c.InboxId, c.Labels, false, ChatwootJson.Time(c.SnoozedUntil), c.Status,
            c.CreatedAt, c.LastActivityAt, 0, unread, lastNonActivity is null ? null : ChatwootMessage.Data(lastNonActivity, facts),
            c.LastActivityAt, c.Priority, 0,
            c.ContactId, c.AssigneeId, c.Seq);
    }

    public static PublicConversation Public(ConversationDto c) => new(
        c.Id, c.Uuid, c.InboxId, c.ContactLastSeenAt ?? 0, c.Status, c.AgentLastSeenAt ?? 0, ChatwootMessage.Data(c.Messages),
        c.Contact is null ? null : ChatwootContact.Record(c.Contact), c.ContactId, c.AssigneeId, c.Seq, c.CustomAttributes ?? None,
        c.CreatedAt, c.LastActivityAt, c.LastActivityAt);

    /// <summary>Chatwoot's <c>unread_incoming_messages.count</c>: the customer's messages since an agent last saw the
    /// conversation (the conversation's counter; 0 in a contact's view).</summary>
    public static int UnreadCount(ConversationDto c) => c.UnreadCount;

    /// <summary>webhook_listener.rb's <c>changed_attributes</c>: one object per attribute,
    /// <c>{name: {current_value, previous_value}}</c> (base_listener.rb's extract_changed_attributes).</summary>
    public static JsonArray ChangedAttributes(IEnumerable<ChangedAttribute> changes) => new(changes.Select(change => (JsonNode?)new JsonObject
    {
        [change.Name] = new JsonObject
        {
            ["current_value"] = JsonSerializer.SerializeToNode(change.Current, ChatwootJson.Options),
            ["previous_value"] = JsonSerializer.SerializeToNode(change.Previous, ChatwootJson.Options),
        },
    }).ToArray());
}
