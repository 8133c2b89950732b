using System.Text.Json.Nodes;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Chatwoot's /cable events (<c>app/listeners/action_cable_listener.rb</c>): which event a change is and its
/// data, in the shapes of <see cref="ChatHub.Server.Chatwoot"/>, in the contact's view (its own seq stream, as
/// <see cref="ConversationMapper"/> maps it) or the agents' (their seq stream, private notes and activity lines
/// included, never a contact's credentials). Nothing is read here: a conversation's creation and updates carry its
/// contact (meta.sender, meta.hmac_verified) and an update its assignee (meta.assignee), as the use case read them;
/// its messages are [] (webhooks, built in the transaction, read them). Whether a
/// contact or an inbox's agents may see an event is <see cref="Visibility"/>'s.</summary>
public static class ChatwootPayloads
{
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
        ConversationCreated c => Event("conversation.created", Conversation(c.Conversation, forContact, contact: c.Contact)),
        ConversationUpdated c when updateEvent is not null => Event(updateEvent, Conversation(c.Conversation, forContact, c.Assignee, c.Contact)),
        TypingChanged t => Event(t.IsTyping ? "conversation.typing_on" : "conversation.typing_off", new JsonObject
        {
            ["conversation"] = Conversation(t.Conversation, forContact),
            ["user"] = ChatwootJson.ToObject(ChatwootMessage.Sender(ConversationMapper.ToSender(t.Typist))),
            ["is_private"] = false,
            ["account_id"] = ChatwootAccount.Id,
        }),
        _ => null,
    };

    /// <summary>ChatHub's <c>conversation.sneak_peek</c> for agents' subscriptions (issue 27; Chatwoot has no such event, its
    /// dashboard ignores it): what the customer is typing, <c>{conversation_id, text, account_id}</c>.</summary>
    public static string SneakPeek(SneakPeekChanged peek) => Event("conversation.sneak_peek", new JsonObject
    {
        ["conversation_id"] = peek.Conversation.Id,
        ["text"] = peek.Text,
        ["account_id"] = ChatwootAccount.Id,
    });

    /// <summary><c>presence.update</c>: the agents who are not offline, by id (RoomChannel#broadcast_presence); an
    /// agent's also has <c>contacts</c> (online contacts, which ChatHub does not track: empty).</summary>
    /// <param name="agents">Each agent's effective availability (Application/Presence).</param>
    public static string Presence(IEnumerable<(long Id, string Availability)> agents, bool withContacts = false)
    {
        var users = new JsonObject();
        foreach (var agent in agents.Where(a => a.Availability != "offline")) users[agent.Id.ToString()] = agent.Availability;
        var data = new JsonObject { ["account_id"] = ChatwootAccount.Id, ["users"] = users };
        if (withContacts) data["contacts"] = new JsonObject();
        return Event("presence.update", data);
    }

    /// <summary><c>Contact#push_event_data</c> for agents: never the contact's source_id or pubsub token.</summary>
    private static JsonObject ContactPushData(ContactRow row) => ChatwootJson.ToObject(ChatwootContact.PushData(ContactMapper.ToAgentDto(row)));

    private static string Event(string name, JsonObject data) => ChatwootJson.Write(new JsonObject { ["event"] = name, ["data"] = data });

    /// <summary><c>Message#push_event_data</c>; the unread count is the agents' (0 in a contact's view).</summary>
    private static JsonObject Message(MessageRow row, Author? sender, ConversationRow conversation, bool forContact) => ChatwootJson.ToObject(
        ChatwootMessage.Data(ConversationMapper.ToDto(row, sender, conversation, forContact),
            ChatwootMessage.Conversation(ConversationMapper.ToDto(conversation, forContact), forContact ? 0 : conversation.UnreadCount)));

    /// <summary><c>Conversation#push_event_data</c>; meta.sender is the contact's push data (no credentials) in both views.</summary>
    private static JsonObject Conversation(ConversationRow row, bool forContact, AgentRow? assignee = null, ContactRow? contact = null) =>
        ChatwootJson.ToObject(ChatwootConversation.PushData(ConversationMapper.ToDto(row, forContact, contact: contact, assignee: assignee)));
}
