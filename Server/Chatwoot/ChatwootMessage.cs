using System.Text.Json;
using System.Text.Json.Serialization;
using ChatHub.Contracts;

namespace ChatHub.Server.Chatwoot;

/// <summary>A message as <c>Message#push_event_data</c> (app/models/message.rb): /cable's message.created/updated,
/// a conversation's <c>messages</c> and <c>last_non_activity_message</c>. The REST answers render the same fields
/// without <c>conversation</c>, as the message partials do (app/views/public/api/v1/models/_message.json.jbuilder,
/// app/views/api/v1/conversations/partials/_message.json.jbuilder). ChatHub adds <c>seq</c>, and
/// <c>attachments</c> is always there (Chatwoot leaves it out when there are none).</summary>
public sealed record MessageData(
    long Id, string Content, long AccountId, long InboxId, long ConversationId, int MessageType, long CreatedAt, string UpdatedAt,
    bool Private, string Status, string? SourceId, string ContentType, JsonElement ContentAttributes, string? SenderType,
    long? SenderId, Dictionary<string, JsonElement> ExternalSourceIds, Dictionary<string, JsonElement> AdditionalAttributes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MessageConversation? Conversation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EchoId,
    IReadOnlyList<AttachmentData> Attachments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Sender,
    long Seq);

/// <summary>push_event_data's <c>conversation</c>: what the widget needs to update its list without a read. Chatwoot
/// adds <c>contact_inbox {source_id}</c>: the customer's key to the client API, which ChatHub never repeats in a push.</summary>
public sealed record MessageConversation(long? AssigneeId, int UnreadCount, long LastActivityAt);

/// <summary>A file of a message as <c>Attachment#push_event_data</c> (app/models/attachment.rb; data_url relative to
/// the server, as in every ChatHub answer), plus ChatHub's file_name.</summary>
public sealed record AttachmentData(
    long Id, long? MessageId, string FileType, long AccountId, string? Extension, string DataUrl, string ThumbUrl, long FileSize,
    string FileName);

/// <summary>A message in a webhook body, as <c>Message#webhook_data</c>: message_type by name, created_at as a
/// Rails time, the conversation's push data, the inbox and the account; plus ChatHub's seq.</summary>
public sealed record MessageWebhookData(
    ChatwootAccount.Data Account, Dictionary<string, JsonElement> AdditionalAttributes, JsonElement ContentAttributes,
    string ContentType, string Content, ConversationPushData Conversation, string CreatedAt, long Id, InboxWebhookData Inbox,
    string MessageType, bool Private, object? Sender, string? SourceId, IReadOnlyList<AttachmentData> Attachments, long Seq);

public static class ChatwootMessage
{
    private static readonly Dictionary<string, JsonElement> None = [];
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <param name="conversation">push_event_data's conversation facts; null for the REST partials.</param>
    public static MessageData Data(MessageDto m, MessageConversation? conversation = null) => new(
        m.Id, m.Content, ChatwootAccount.Id, m.InboxId, m.ConversationId, m.MessageType, m.CreatedAt, ChatwootJson.Time(m.UpdatedAt),
        m.Private, m.Status, null, m.ContentType, m.ContentAttributes ?? EmptyObject, SenderType(m.Sender), m.Sender?.Id, None, None,
        conversation, m.EchoId, Attachments(m), m.Sender is null ? null : Sender(m.Sender), m.Seq);

    public static IReadOnlyList<MessageData> Data(IEnumerable<MessageDto> messages) => messages.Select(m => Data(m)).ToList();

    /// <summary>push_event_data's <c>conversation</c> from the conversation as the reader sees it.</summary>
    public static MessageConversation Conversation(ConversationDto c, int unreadCount) =>
        new(c.AssigneeId, unreadCount, c.LastActivityAt);

    public static MessageWebhookData WebhookData(MessageDto m, ConversationPushData conversation, InboxWebhookData inbox, string? agentEmail) => new(
        ChatwootAccount.WebhookData, None, m.ContentAttributes ?? EmptyObject, m.ContentType, m.Content, conversation,
        ChatwootJson.Time(m.CreatedAt), m.Id, inbox, TypeName(m.MessageType), m.Private,
        m.Sender is not { } s ? null : s.Type == SenderTypes.Agent ? ChatwootUser.WebhookData(s, agentEmail) : ChatwootContact.WebhookData(s),
        null, Attachments(m), m.Seq);

    /// <summary>A sender as Chatwoot's push data: <see cref="UserPushData"/> for an agent, <see cref="ContactPushData"/>
    /// for a contact.</summary>
    public static object Sender(SenderDto s) => s.Type == SenderTypes.Agent ? ChatwootUser.PushData(s) : ChatwootContact.PushData(s);

    /// <summary>Chatwoot's polymorphic sender_type: its class names.</summary>
    public static string? SenderType(SenderDto? s) => s is null ? null : s.Type == SenderTypes.Agent ? "User" : "Contact";

    /// <summary>webhook_data's message_type is the enum's name, push data's its number.</summary>
    public static string TypeName(int type) => type switch
    {
        MessageTypes.Incoming => "incoming",
        MessageTypes.Outgoing => "outgoing",
        MessageTypes.Activity => "activity",
        MessageTypes.Template => "template",
        _ => type.ToString(),
    };

    private static IReadOnlyList<AttachmentData> Attachments(MessageDto m) => m.Attachments.Select(a => new AttachmentData(
        a.Id, a.MessageId, a.FileType, ChatwootAccount.Id, a.Extension, a.DataUrl, a.ThumbUrl, a.FileSize, a.FileName)).ToList();
}
