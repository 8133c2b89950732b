using System.Text.Json;
using System.Text.Json.Serialization;
using ChatHub.Contracts;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Conversations;

namespace ChatHub.Server.Chatwoot;

/// <summary>The REST API's answers as Chatwoot's views render them, from the use cases' DTOs (which the hub keeps in
/// their own shape): the records of this folder for one message, conversation, contact or agent, and the envelopes
/// of the views that wrap them (lists, toggle_status). Shapes only: what a caller may see was decided by the use
/// case.</summary>
public static class ChatwootShapes
{
    private static readonly Dictionary<string, JsonElement> None = [];

    /// <summary>The application API's conversation list (app/views/api/v1/accounts/conversations/index.json.jbuilder).</summary>
    public sealed record ConversationList(ConversationListData Data);
    public sealed record ConversationListData(ConversationListMeta Meta, IReadOnlyList<ConversationData> Payload);
    public sealed record ConversationListMeta(int MineCount, int AssignedCount, int UnassignedCount, int AllCount);

    /// <summary>The application API's message list (app/views/api/v1/accounts/conversations/messages/index.json.jbuilder):
    /// the conversation's labels, additional attributes, contact and assignee (push data), seen markers as Rails times
    /// (null when never), then the messages. ChatHub adds contact_id, assignee_id and contact_last_seen_at.</summary>
    public sealed record MessageList(MessageListMeta Meta, IReadOnlyList<MessageData> Payload);
    public sealed record MessageListMeta(
        IReadOnlyList<string> Labels, Dictionary<string, JsonElement> AdditionalAttributes, ContactPushData? Contact,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UserPushData? Assignee,
        string? AgentLastSeenAt, string? AssigneeLastSeenAt, long ContactId, long? AssigneeId, string? ContactLastSeenAt);

    /// <summary>The application API's toggle_status answer (app/views/api/v1/accounts/conversations/toggle_status.json.jbuilder).</summary>
    public sealed record StatusToggled(Dictionary<string, JsonElement> Meta, StatusToggledPayload Payload);
    public sealed record StatusToggledPayload(bool Success, string CurrentStatus, long ConversationId, string? SnoozedUntil);

    public static MessageData ToMessage(MessageDto m) => ChatwootMessage.Data(m);

    public static IReadOnlyList<MessageData> ToMessages(IEnumerable<MessageDto> messages) => ChatwootMessage.Data(messages);

    /// <summary>A conversation as the client API shows it to its customer.</summary>
    public static PublicConversation ToConversation(ConversationDto c) => ChatwootConversation.Public(c);

    public static IReadOnlyList<PublicConversation> ToConversations(IEnumerable<ConversationDto> conversations) =>
        conversations.Select(ChatwootConversation.Public).ToList();

    /// <summary>A conversation as the application API shows it to an agent.</summary>
    public static ConversationData ToApplicationConversation(ConversationDto c) => ChatwootConversation.Data(c);

    public static ConversationList ToList(ConversationPage page, ConversationCounts counts) => new(new ConversationListData(
        new ConversationListMeta(counts.Mine, counts.Assigned, counts.Unassigned, counts.All),
        page.Conversations.Select(ChatwootConversation.Data).ToList()));

    public static MessageList ToMessageList(GetMessagesResult result)
    {
        var c = result.Conversation;
        return new MessageList(
            new MessageListMeta([], None, c.Contact is { } contact ? ChatwootContact.PushData(contact) : null,
                c.Assignee is { } assignee ? ChatwootUser.PushData(assignee) : null, ChatwootJson.Time(c.AgentLastSeenAt), null,
                c.ContactId, c.AssigneeId, ChatwootJson.Time(c.ContactLastSeenAt)),
            ChatwootMessage.Data(result.Messages));
    }

    public static StatusToggled ToStatusToggled(ConversationDto c) => new(None, new StatusToggledPayload(true, c.Status, c.Id, ChatwootJson.Time(c.SnoozedUntil)));

    /// <summary>The assignment answer (assignments_controller#create renders the <c>_agent</c> partial of the new
    /// assignee; nothing, JSON null, when the conversation was unassigned).</summary>
    public static AgentData? ToAssignee(ConversationDto c) => c.Assignee is null ? null : ChatwootUser.Agent(c.Assignee);

}
