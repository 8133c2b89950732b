using System.Text.Json.Nodes;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Chatwoot's /cable events for a contact (<c>app/listeners/action_cable_listener.rb</c>): which event a
/// change is and its data, in the shapes of <see cref="ChatHub.Server.Chatwoot"/>, always in the contact's view (its
/// own seq stream, as <see cref="ConversationMapper"/> maps it). An event carries no contact row and nothing is read
/// here, so a conversation's meta.sender is null and its messages [] (webhooks, built in the transaction, have both).
/// Whether a contact may see an event is <see cref="Visibility"/>'s.</summary>
public static class ChatwootPayloads
{
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
            ["user"] = ChatwootJson.ToObject(ChatwootMessage.Sender(ConversationMapper.ToSender(t.Typist))),
            ["is_private"] = false,
            ["account_id"] = ChatwootAccount.Id,
        }),
        _ => null,
    };

    /// <summary><c>presence.update</c>: the agents who are not offline, by id (RoomChannel#broadcast_presence).</summary>
    public static string Presence(IEnumerable<AgentRow> agents)
    {
        var users = new JsonObject();
        foreach (var agent in agents.Where(a => a.Availability != "offline")) users[agent.Id.ToString()] = agent.Availability;
        return Event("presence.update", new JsonObject { ["account_id"] = ChatwootAccount.Id, ["users"] = users });
    }

    private static string Event(string name, JsonObject data) => ChatwootJson.Write(new JsonObject { ["event"] = name, ["data"] = data });

    /// <summary><c>Message#push_event_data</c>; the unread count is the agents' (0 here: the event has no count).</summary>
    private static JsonObject Message(MessageRow row, Author? sender, ConversationRow conversation) => ChatwootJson.ToObject(
        ChatwootMessage.Data(ConversationMapper.ToDto(row, sender, conversation, forContact: true),
            ChatwootMessage.Conversation(ConversationMapper.ToDto(conversation, forContact: true), unreadCount: 0)));

    private static JsonObject Conversation(ConversationRow row) =>
        ChatwootJson.ToObject(ChatwootConversation.PushData(ConversationMapper.ToDto(row, forContact: true)));
}
