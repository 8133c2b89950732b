using System.Text.Json;
using System.Text.Json.Nodes;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Chatwoot's /cable payloads (<c>app/listeners/action_cable_listener.rb</c>,
/// <c>Message#push_event_data</c>, <c>Conversations::EventDataPresenter#push_data</c>, <c>User#push_event_data</c>),
/// built from ChatHub's events in the contact's view (its own seq stream, as <see cref="ConversationMapper"/> maps it)
/// or the agents' (their seq stream, private notes and activity lines included, never a contact's credentials). Only
/// shapes live here: whether a contact or an inbox's agents may see an event is <see cref="Visibility"/>'s.</summary>
public static class ChatwootPayloads
{
    private const long AccountId = ChatwootAccount.Id;

    /// <summary>The ActionCable message (<c>{"event":...,"data":...}</c>) a contact's subscription receives for
    /// <paramref name="change"/>; null when /cable has no event for it.</summary>
    public static string? ForContact(ChatEvent change) => Conversational(change, forContact: true, change switch
    {
        ConversationUpdated { PreviousStatus: { } previous } c when previous != c.Conversation.Status => "conversation.status_changed",
        ConversationUpdated => "conversation.updated",
        _ => null,
    });

    /// <summary>The ActionCable message an agent's subscription receives for <paramref name="change"/> (the dashboard's
    /// events: an assignment is <c>assignee.changed</c>, a seen marker <c>conversation.read</c>); null when /cable has no
    /// event for it.</summary>
    public static string? ForAgents(ChatEvent change) => change switch
    {
        ContactUpdated c => Event("contact.updated", ContactPushData(c.Contact)),
        _ => Conversational(change, forContact: false, change switch
        {
            ConversationUpdated { PreviousStatus: { } previous } c when previous != c.Conversation.Status => "conversation.status_changed",
            ConversationUpdated { Change: ConversationChange.Assignee } => "assignee.changed",
            ConversationUpdated { Change: ConversationChange.Read } => "conversation.read",
            ConversationUpdated => "conversation.updated",
            _ => null,
        }),
    };

    private static string? Conversational(ChatEvent change, bool forContact, string? updateEvent) => change switch
    {
        MessageCreated m => Event("message.created", Message(m.Message, m.Sender, m.Conversation, forContact)),
        MessageUpdated m => Event("message.updated", Message(m.Message, m.Sender, m.Conversation, forContact)),
        ConversationCreated c => Event("conversation.created", Conversation(c.Conversation, forContact)),
        ConversationUpdated c when updateEvent is not null => Event(updateEvent, Conversation(c.Conversation, forContact)),
        TypingChanged t => Event(t.IsTyping ? "conversation.typing_on" : "conversation.typing_off", new JsonObject
        {
            ["conversation"] = Conversation(t.Conversation, forContact),
            ["user"] = Sender(t.Typist),
            ["is_private"] = false,
            ["account_id"] = AccountId,
        }),
        _ => null,
    };

    /// <summary><c>presence.update</c>: the agents who are not offline, by id (RoomChannel#broadcast_presence); an
    /// agent's also has <c>contacts</c> (online contacts, which ChatHub does not track: empty).</summary>
    public static string Presence(IEnumerable<AgentRow> agents, bool withContacts = false)
    {
        var users = new JsonObject();
        foreach (var agent in agents.Where(a => a.Availability != "offline")) users[agent.Id.ToString()] = agent.Availability;
        var data = new JsonObject { ["account_id"] = AccountId, ["users"] = users };
        if (withContacts) data["contacts"] = new JsonObject();
        return Event("presence.update", data);
    }

    /// <summary><c>Contact#push_event_data</c> for agents: never the contact's source_id or pubsub token.</summary>
    private static JsonObject ContactPushData(ContactRow row)
    {
        var c = ContactMapper.ToAgentDto(row);
        var custom = new JsonObject();
        foreach (var (key, value) in c.CustomAttributes ?? []) custom[key] = Node(value);
        return new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["email"] = c.Email,
            ["phone_number"] = c.PhoneNumber,
            ["identifier"] = c.Identifier,
            ["thumbnail"] = c.AvatarUrl ?? "",
            ["custom_attributes"] = custom,
            ["additional_attributes"] = new JsonObject(),
            ["type"] = "contact",
            ["account_id"] = AccountId,
        };
    }

    private static string Event(string name, JsonObject data) =>
        new JsonObject { ["event"] = name, ["data"] = data }.ToJsonString();

    private static JsonObject Message(MessageRow row, Author? sender, ConversationRow conversation, bool forContact)
    {
        var m = ConversationMapper.ToDto(row, sender, conversation, forContact);
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

    private static JsonObject Conversation(ConversationRow row, bool forContact)
    {
        var c = ConversationMapper.ToDto(row, forContact);
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
