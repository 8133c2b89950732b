using System.Text.Json.Nodes;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>Webhook bodies as <c>app/listeners/webhook_listener.rb</c> builds them, in the shapes of
/// <see cref="ChatHub.Server.Chatwoot"/>: <c>Message#webhook_data</c>, <c>Conversation#webhook_data</c> (push data)
/// with <c>changed_attributes</c> on updates, <c>Contact#webhook_data</c>, the typing events. Built inside the
/// change's transaction, from the event's snapshots and the rows a conversation's push data needs (its contact,
/// assignee and newest messages), each read once per transaction. Never a credential: no pubsub_token, no
/// source_id, no contact_inbox (Chatwoot's carries them).</summary>
public sealed class WebhookPayloads(IStoreReader store)
{
    /// <summary>The newest messages a conversation's push data is taken from (its last chat message, its unread count).</summary>
    private const int RecentMessages = 20;

    private readonly Dictionary<long, InboxRow?> _inboxes = [];
    private readonly Dictionary<long, ContactRow?> _contacts = [];
    private readonly Dictionary<long, AgentRow?> _agents = [];

    public async ValueTask<string> BuildAsync(string eventName, ChatEvent change)
    {
        var body = change switch
        {
            MessageCreated m => ChatwootJson.ToObject(await MessageAsync(m.Message, m.Sender, m.Conversation)),
            MessageUpdated m => ChatwootJson.ToObject(await MessageAsync(m.Message, m.Sender, m.Conversation)),
            ConversationUpdated u => WithChanges(ChatwootJson.ToObject(await ConversationAsync(u.Conversation)), u.Changes ?? []),
            ConversationCreated c => ChatwootJson.ToObject(await ConversationAsync(c.Conversation)),
            TypingChanged t => new JsonObject
            {
                ["conversation"] = ChatwootJson.ToObject(await ConversationAsync(t.Conversation)),
                ["user"] = ChatwootJson.ToObject(ChatwootMessage.Sender(ConversationMapper.ToSender(t.Typist))),
                ["is_private"] = false,
            },
            ContactCreated c => ChatwootJson.ToObject(ChatwootContact.WebhookData(ContactMapper.ToAgentDto(c.Contact), withAccount: true)),
            ContactUpdated c => ChatwootJson.ToObject(ChatwootContact.WebhookData(ContactMapper.ToAgentDto(c.Contact), withAccount: true)),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "no webhook payload"),
        };
        // "event" first, as a receiver reading the body by eye expects it.
        var payload = new JsonObject { ["event"] = eventName };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            payload[key] = value;
        }
        return ChatwootJson.Write(payload);
    }

    /// <summary>conversation_updated and conversation_status_changed carry what changed (webhook_listener.rb).</summary>
    private static JsonObject WithChanges(JsonObject conversation, IReadOnlyList<ChangedAttribute> changes)
    {
        conversation["changed_attributes"] = ChatwootConversation.ChangedAttributes(changes);
        return conversation;
    }

    private async ValueTask<MessageWebhookData> MessageAsync(MessageRow m, Author? sender, ConversationRow c)
    {
        var message = ConversationMapper.ToDto(m, sender, c, forContact: false);
        var agentEmail = m.SenderType == SenderTypes.Agent && m.SenderId is { } agentId ? (await AgentAsync(agentId))?.Email : null;
        return ChatwootMessage.WebhookData(message, await ConversationAsync(c), await InboxAsync(c.InboxId), agentEmail);
    }

    private async ValueTask<ConversationPushData> ConversationAsync(ConversationRow c)
    {
        var contact = await ContactAsync(c.ContactId);
        var assignee = c.AssigneeId is { } id ? await AgentAsync(id) : null;
        var recent = await ConversationChanges.LatestMessagesAsync(store, c, forContact: false, RecentMessages);
        return ChatwootConversation.PushData(ConversationMapper.ToDto(c, forContact: false, recent, contact, assignee));
    }

    private async ValueTask<InboxWebhookData> InboxAsync(long id)
    {
        if (!_inboxes.TryGetValue(id, out var inbox)) _inboxes[id] = inbox = await store.GetInboxAsync(id);
        return new InboxWebhookData(id, inbox?.Name);
    }

    private async ValueTask<ContactRow?> ContactAsync(long id)
    {
        if (!_contacts.TryGetValue(id, out var contact)) _contacts[id] = contact = await store.GetContactAsync(id);
        return contact;
    }

    private async ValueTask<AgentRow?> AgentAsync(long id)
    {
        if (!_agents.TryGetValue(id, out var agent)) _agents[id] = agent = await store.GetAgentAsync(id);
        return agent;
    }
}
