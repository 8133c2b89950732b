using System.Text.Json;
using System.Text.Json.Nodes;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Chatwoot's /cable payloads for a contact (<c>app/listeners/action_cable_listener.rb</c>,
/// <c>Message#push_event_data</c>, <c>Conversations::EventDataPresenter#push_data</c>, <c>User#push_event_data</c>),
/// built from ChatHub's events and always in the contact's view (its own seq stream, as
/// <see cref="ConversationMapper"/> maps it). Only shapes live here: whether a contact may see an event is
/// <see cref="Visibility"/>'s.</summary>
public static class ChatwootPayloads
{
    private const long AccountId = ChatwootAccount.Id;

    /// <summary>The ActionCable message (<c>{"event":...,"data":...}</c>) a contact's subscription receives for
    /// <paramref name="change"/>; null when /cable has no event for it.</summary>
    public static string? ForContact(ChatEvent change) => change switch
    {
        MessageCreated m => Event("message.created", Message(m.Message, m.Sender, m.Conversation)),
        MessageUpdated m => Event("message.updated", Message(m.Message, m.Sender, m.Conversation)),
        ConversationCreated c => Event("conversation.created", Conversation(c.Conversation)),
        ConversationUpdated { PreviousStatus: { } previous } c when previous != c.Conversation.Status =>
            Event("conversation.status_changed", Conversation(c.Conversation)),
        ConversationUpdated c => Event("conversation.updated", Conversation(c.Conversation)),
        TypingChanged t => Event(t.IsTyping ? "conversation.typing_on" : "conversation.typing_off", new JsonObject
        {
            ["conversation"] = Conversation(t.Conversation),
            ["user"] = Sender(t.Typist),
            ["is_private"] = false,
            ["account_id"] = AccountId,
        }),
        _ => null,
    };

    /// <summary><c>presence.update</c>: the agents who are not offline, by id (RoomChannel#broadcast_presence).</summary>
    public static string Presence(IEnumerable<AgentRow> agents)
    {
        var users = new JsonObject();
        foreach (var agent in agents.Where(a => a.Availability != "offline")) users[agent.Id.ToString()] = agent.Availability;
        return Event("presence.update", new JsonObject { ["account_id"] = AccountId, ["users"] = users });
    }

    private static string Event(string name, JsonObject data) =>
        new JsonObject { ["event"] = name, ["data"] = data }.ToJsonString();

    private static JsonObject Message(MessageRow row, Author? sender, ConversationRow conversation)
    {
        var m = ConversationMapper.ToDto(row, sender, conversation, forContact: true);
        var data = new JsonObject
        {
            ["id"] = m.Id,
            ["content"] = m.Content,
            ["account_id"] = AccountId,
            ["inbox_id"] = conversation.InboxId,
            ["conversation_id"] = m.ConversationId,
            ["message_type"] = m.MessageType,
            ["created_at"] = m.CreatedAt,
            ["updated_at"] = m.UpdatedAt,
            ["private"] = m.Private,
            ["status"] = m.Status,
            ["source_id"] = null,
            ["content_type"] = m.ContentType,
            ["content_attributes"] = Node(m.ContentAttributes) ?? new JsonObject(),
            ["sender_type"] = row.SenderType is null ? null : SenderType(row.SenderType),
            ["sender_id"] = row.SenderId,
            ["external_source_ids"] = new JsonObject(),
            ["additional_attributes"] = new JsonObject(),
            ["seq"] = m.Seq,
            ["attachments"] = new JsonArray(m.Attachments.Select(a => (JsonNode?)AttachmentFiles.PushEventData(a, AccountId)).ToArray()),
            ["conversation"] = new JsonObject
            {
                ["assignee_id"] = conversation.AssigneeId,
                ["last_activity_at"] = Clock.ToSeconds(conversation.LastActivityAt),
            },
        };
        if (m.EchoId is not null) data["echo_id"] = m.EchoId;
        if (row.SenderType is not null) data["sender"] = Sender(new Author(row.SenderType, row.SenderId ?? 0, sender?.Name));
        return data;
    }

    private static JsonObject Conversation(ConversationRow row)
    {
        var c = ConversationMapper.ToDto(row, forContact: true);
        var custom = new JsonObject();
        foreach (var (key, value) in c.CustomAttributes ?? []) custom[key] = Node(value);
        return new JsonObject
        {
            ["id"] = c.Id,
            ["uuid"] = c.Uuid,
            ["account_id"] = AccountId,
            ["inbox_id"] = c.InboxId,
            ["status"] = c.Status,
            ["assignee_id"] = c.AssigneeId,
            ["custom_attributes"] = custom,
            ["additional_attributes"] = new JsonObject(),
            ["agent_last_seen_at"] = c.AgentLastSeenAt ?? 0,
            ["contact_last_seen_at"] = c.ContactLastSeenAt ?? 0,
            ["created_at"] = c.CreatedAt,
            ["timestamp"] = c.LastActivityAt,
            ["last_activity_at"] = c.LastActivityAt,
            ["can_reply"] = true,
            ["channel"] = "Channel::WebWidget",
            ["messages"] = new JsonArray(),
            ["seq"] = c.Seq,
        };
    }

    /// <summary><c>User#push_event_data</c> for an agent (Chatwoot's "user"), the contact's for a contact.</summary>
    private static JsonObject Sender(Author author) => author.Type == SenderTypes.Contact
        ? new JsonObject { ["id"] = author.Id, ["name"] = author.Name, ["thumbnail"] = "", ["type"] = "contact" }
        : new JsonObject
        {
            ["id"] = author.Id,
            ["name"] = author.Name,
            ["available_name"] = author.Name,
            ["avatar_url"] = "",
            ["thumbnail"] = "",
            ["type"] = "user",
        };

    private static string SenderType(string type) => type == SenderTypes.Contact ? "Contact" : "User";

    private static JsonNode? Node(JsonElement? value) => value is { } v ? JsonNode.Parse(v.GetRawText()) : null;
}
