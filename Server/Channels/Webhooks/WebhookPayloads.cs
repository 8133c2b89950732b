using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>Webhook bodies as Chatwoot builds them (<c>Message#webhook_data</c>, <c>Conversation#webhook_data</c> =
/// <c>Conversations::EventDataPresenter#push_data</c>, <c>Contact#webhook_data</c>, the typing events of
/// <c>webhook_listener.rb</c>), plus ChatHub's <c>seq</c>. Built inside the change's transaction, from the event's
/// snapshots and rows read once per transaction. Never a credential: no pubsub_token, no source_id, no
/// contact_inbox (Chatwoot's carries both).</summary>
public sealed class WebhookPayloads(IStoreReader store)
{
    private const long AccountId = ChatwootAccount.Id;
    private const string AccountName = ChatwootAccount.Name;

    /// <summary>Text as UTF-8, not \u escapes (as Rails sends it); a JSON body is never embedded in HTML.</summary>
    private static readonly JsonSerializerOptions BodyOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<long, InboxRow?> _inboxes = [];
    private readonly Dictionary<long, ContactRow?> _contacts = [];
    private readonly Dictionary<long, AgentRow?> _agents = [];

    public async ValueTask<string> BuildAsync(string eventName, ChatEvent change)
    {
        var body = change switch
        {
            MessageCreated m => await MessageAsync(m.Message, m.Sender, m.Conversation),
            MessageUpdated m => await MessageAsync(m.Message, m.Sender, m.Conversation),
            ConversationEvent { } c and not TypingChanged => await ConversationAsync(c.Conversation),
            TypingChanged t => new JsonObject
            {
                ["conversation"] = await ConversationAsync(t.Conversation),
                ["user"] = Sender(t.Typist),
                ["is_private"] = false,
            },
            ContactCreated c => Contact(c.Contact),
            ContactUpdated c => Contact(c.Contact),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "no webhook payload"),
        };
        // "event" first, as a receiver reading the body by eye expects it.
        var payload = new JsonObject { ["event"] = eventName };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            payload[key] = value;
        }
        return payload.ToJsonString(BodyOptions);
    }

    private async ValueTask<JsonObject> MessageAsync(MessageRow m, Author? sender, ConversationRow c) => new()
    {
        ["id"] = m.Id,
        ["content"] = m.Content,
        ["message_type"] = MessageType(m.MessageType),
        ["content_type"] = m.ContentType,
        ["content_attributes"] = Json(m.ContentAttributes),
        ["additional_attributes"] = new JsonObject(),
        ["private"] = m.Private,
        ["source_id"] = null,
        ["created_at"] = Iso(m.CreatedAt),
        ["sender"] = sender is null ? null : Sender(sender),
        ["conversation"] = await ConversationAsync(c),
        ["inbox"] = await InboxAsync(c.InboxId),
        ["account"] = Account(),
        ["attachments"] = new JsonArray(m.Attachments.Select(a => (JsonNode?)AttachmentFiles.PushEventData(AttachmentFiles.ToDto(a), AccountId)).ToArray()),
        ["seq"] = m.Seq,
    };

    private async ValueTask<JsonObject> ConversationAsync(ConversationRow c)
    {
        var contact = await ContactAsync(c.ContactId);
        var assignee = c.AssigneeId is { } id ? await AgentAsync(id) : null;
        return new JsonObject
        {
            ["id"] = c.Id,
            ["uuid"] = c.Uuid,
            ["account_id"] = AccountId,
            ["inbox_id"] = c.InboxId,
            ["status"] = c.Status,
            ["channel"] = "Channel::WebWidget",
            ["can_reply"] = true,
            ["additional_attributes"] = new JsonObject(),
            ["custom_attributes"] = Json(c.CustomAttributes),
            ["labels"] = new JsonArray(),
            ["messages"] = new JsonArray(),
            ["meta"] = new JsonObject
            {
                ["sender"] = contact is null ? null : ContactSender(contact),
                ["assignee"] = assignee is null ? null : AgentSender(assignee),
                ["hmac_verified"] = contact?.HmacVerified ?? false,
            },
            ["unread_count"] = 0,
            ["agent_last_seen_at"] = Clock.ToSeconds(c.AgentLastSeenAt) ?? 0,
            ["contact_last_seen_at"] = Clock.ToSeconds(c.ContactLastSeenAt) ?? 0,
            ["last_activity_at"] = Clock.ToSeconds(c.LastActivityAt),
            ["timestamp"] = Clock.ToSeconds(c.LastActivityAt),
            ["created_at"] = Clock.ToSeconds(c.CreatedAt),
            ["seq"] = c.Seq,
        };
    }

    private static JsonObject Contact(ContactRow c)
    {
        var data = ContactSender(c);
        data["account"] = Account();
        return data;
    }

    private static JsonObject ContactSender(ContactRow c) => new()
    {
        ["id"] = c.Id,
        ["name"] = c.Name,
        ["email"] = c.Email,
        ["phone_number"] = c.PhoneNumber,
        ["identifier"] = c.Identifier,
        ["avatar"] = c.AvatarUrl ?? "",
        ["thumbnail"] = c.AvatarUrl ?? "",
        ["custom_attributes"] = Json(c.CustomAttributes),
        ["additional_attributes"] = new JsonObject(),
        ["type"] = "contact",
    };

    private static JsonObject AgentSender(AgentRow a) => new()
    {
        ["id"] = a.Id,
        ["name"] = a.Name,
        ["available_name"] = a.Name,
        ["email"] = a.Email,
        ["avatar_url"] = "",
        ["availability_status"] = a.Availability,
        ["type"] = "user",
    };

    /// <summary>A message's author or a typist: the contact's webhook data, or the agent's (Chatwoot's "user").</summary>
    private static JsonObject Sender(Author author) => author.Type == SenderTypes.Contact
        ? new JsonObject
        {
            ["id"] = author.Id,
            ["name"] = author.Name,
            ["email"] = author.Details?.Email,
            ["phone_number"] = author.Details?.PhoneNumber,
            ["identifier"] = author.Details?.Identifier,
            ["avatar"] = author.Details?.AvatarUrl ?? "",
            ["thumbnail"] = author.Details?.AvatarUrl ?? "",
            ["custom_attributes"] = Json(author.Details?.CustomAttributes),
            ["type"] = "contact",
        }
        : new JsonObject
        {
            ["id"] = author.Id,
            ["name"] = author.Name,
            ["available_name"] = author.Name,
            ["avatar_url"] = "",
            ["availability_status"] = author.Details?.Availability,
            ["type"] = "user",
        };

    private async ValueTask<JsonObject> InboxAsync(long id)
    {
        if (!_inboxes.TryGetValue(id, out var inbox)) _inboxes[id] = inbox = await store.GetInboxAsync(id);
        return new JsonObject { ["id"] = id, ["name"] = inbox?.Name };
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

    private static JsonObject Account() => new() { ["id"] = AccountId, ["name"] = AccountName };

    /// <summary>Chatwoot's webhook message_type is the enum's name, not its number (the cable's is the number).</summary>
    public static string MessageType(int type) => type switch
    {
        MessageTypes.Incoming => "incoming",
        MessageTypes.Outgoing => "outgoing",
        MessageTypes.Activity => "activity",
        MessageTypes.Template => "template",
        _ => type.ToString(),
    };

    /// <summary>Rails renders a time as ISO 8601 with milliseconds, in UTC.</summary>
    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    private static JsonNode Json(string? text) => text is null ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
}
