using System.Text.Json;
using System.Text.Json.Serialization;
using ChatHub.Contracts;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Conversations;

namespace ChatHub.Server.Rest;

/// <summary>The REST API's answers as Chatwoot's views render them (app/views/public/api/v1/models/*.json.jbuilder,
/// app/views/api/v1/accounts/conversations/*.json.jbuilder), mapped from the use cases' DTOs, which the hub keeps
/// in their own shape. ChatHub's extensions (seq, echo_id, status, contact_id, assignee_id, last_activity_at,
/// updated_at, private) stay as extra fields. Shapes only: what a caller may see was decided by the use case.</summary>
public static class ChatwootShapes
{
    private const long AccountId = ChatwootAccount.Id;

    private static readonly Dictionary<string, JsonElement> NoAttributes = [];
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public sealed record Message(
        long Id, string Content, int MessageType, string ContentType, JsonElement ContentAttributes, long CreatedAt,
        long UpdatedAt, long ConversationId, bool Private, string Status, string? SenderType, long? SenderId, object? Sender,
        string? EchoId, long Seq, IReadOnlyList<AttachmentDto> Attachments);

    /// <summary>An agent as Chatwoot's <c>User#push_event_data</c>.</summary>
    public sealed record UserPushData(
        long Id, string Name, string AvailableName, string AvatarUrl, string Type, string AvailabilityStatus, string Thumbnail);

    /// <summary>A contact as Chatwoot's <c>Contact#push_event_data</c> (never its credentials).</summary>
    public sealed record ContactPushData(
        long Id, string Name, string? Email, string? PhoneNumber, string? Identifier, string Thumbnail,
        Dictionary<string, JsonElement> CustomAttributes, Dictionary<string, JsonElement> AdditionalAttributes, string Type);

    public sealed record Conversation(
        long Id, string Uuid, long InboxId, string Status, long ContactLastSeenAt, long AgentLastSeenAt, long CreatedAt,
        long Timestamp, IReadOnlyList<Message> Messages, ContactPushData? Contact, long ContactId, long? AssigneeId, long Seq,
        Dictionary<string, JsonElement> CustomAttributes, long LastActivityAt,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? AccountId = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConversationMeta? Meta = null);

    /// <summary>The application API's conversation meta: who the customer is and who is assigned (null when nobody).</summary>
    public sealed record ConversationMeta(ContactPushData? Sender, object? Assignee);

    /// <summary>The application API's conversation list (index.json.jbuilder).</summary>
    public sealed record ConversationList(ConversationListData Data);
    public sealed record ConversationListData(ConversationListMeta Meta, IReadOnlyList<Conversation> Payload);
    public sealed record ConversationListMeta(int MineCount, int AssignedCount, int UnassignedCount, int AllCount);

    /// <summary>The application API's message list (messages/index.json.jbuilder): the conversation's labels (ChatHub
    /// has none), additional attributes and contact id, with its contact and seen markers, then the messages.</summary>
    public sealed record MessageList(MessageListMeta Meta, IReadOnlyList<Message> Payload);
    public sealed record MessageListMeta(
        IReadOnlyList<string> Labels, Dictionary<string, JsonElement> AdditionalAttributes, long ContactId, ContactPushData? Contact,
        long? AssigneeId, long AgentLastSeenAt, long ContactLastSeenAt);

    /// <summary>The application API's toggle_status answer (toggle_status.json.jbuilder: an empty meta).</summary>
    public sealed record StatusToggled(Dictionary<string, JsonElement> Meta, StatusToggledPayload Payload);
    public sealed record StatusToggledPayload(bool Success, string CurrentStatus, long ConversationId);

    public static Message ToMessage(MessageDto m) => new(
        m.Id, m.Content, m.MessageType, m.ContentType, m.ContentAttributes ?? EmptyObject, m.CreatedAt, m.UpdatedAt,
        m.ConversationId, m.Private, m.Status,
        m.Sender is null ? null : m.Sender.Type == SenderTypes.Agent ? "User" : "Contact", m.Sender?.Id,
        m.Sender is null ? null : ToSender(m.Sender), m.EchoId, m.Seq, m.Attachments);

    public static IReadOnlyList<Message> ToMessages(IEnumerable<MessageDto> messages) => messages.Select(ToMessage).ToList();

    /// <summary>Chatwoot calls an agent a "user"; the hub keeps ChatHub's "agent".</summary>
    public static object ToSender(SenderDto s) => s.Type == SenderTypes.Agent
        ? new UserPushData(s.Id, s.Name ?? "", s.Name ?? "", s.AvatarUrl ?? "", "user", s.Availability ?? Availabilities.Offline, s.AvatarUrl ?? "")
        : new ContactPushData(s.Id, s.Name ?? "", s.Email, s.PhoneNumber, s.Identifier, s.AvatarUrl ?? "",
            s.CustomAttributes ?? NoAttributes, NoAttributes, "contact");

    public static ContactPushData ToContact(ContactDto c) => new(c.Id, c.Name ?? "", c.Email, c.PhoneNumber, c.Identifier,
        c.AvatarUrl ?? "", c.CustomAttributes ?? NoAttributes, NoAttributes, "contact");

    /// <summary>A conversation as the client API shows it; <paramref name="application"/> adds the application
    /// API's account_id and meta.</summary>
    public static Conversation ToConversation(ConversationDto c, bool application = false)
    {
        var contact = c.Contact is null ? null : ToContact(c.Contact);
        return new Conversation(c.Id, c.Uuid, c.InboxId, c.Status, c.ContactLastSeenAt ?? 0, c.AgentLastSeenAt ?? 0, c.CreatedAt,
            c.LastActivityAt, ToMessages(c.Messages), contact, c.ContactId, c.AssigneeId, c.Seq, c.CustomAttributes ?? NoAttributes,
            c.LastActivityAt, application ? AccountId : null, application ? new ConversationMeta(contact, c.Assignee is null ? null : ToSender(c.Assignee)) : null);
    }

    public static IReadOnlyList<Conversation> ToConversations(IEnumerable<ConversationDto> conversations, bool application = false) =>
        conversations.Select(c => ToConversation(c, application)).ToList();

    public static ConversationList ToList(ConversationPage page, ConversationCounts counts) => new(new ConversationListData(
        new ConversationListMeta(counts.Mine, counts.Assigned, counts.Unassigned, counts.All), ToConversations(page.Conversations, true)));

    public static MessageList ToMessageList(GetMessagesResult result) => new(
        new MessageListMeta([], NoAttributes, result.Conversation.ContactId,
            result.Conversation.Contact is { } contact ? ToContact(contact) : null, result.Conversation.AssigneeId,
            result.Conversation.AgentLastSeenAt ?? 0, result.Conversation.ContactLastSeenAt ?? 0),
        ToMessages(result.Messages));

    public static StatusToggled ToStatusToggled(ConversationDto c) => new(NoAttributes, new StatusToggledPayload(true, c.Status, c.Id));
}
