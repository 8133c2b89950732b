using ChatHub.Contracts;
using E = ChatHub.Server.Application.Events;

namespace ChatHub.Server.Features.Webhooks;

/// <summary>Chatwoot's webhook event names (<c>app/listeners/webhook_listener.rb</c>) and which of ChatHub's events
/// raise them.</summary>
public static class WebhookEvents
{
    public const string MessageCreated = "message_created";
    public const string MessageUpdated = "message_updated";
    public const string ConversationCreated = "conversation_created";
    public const string ConversationStatusChanged = "conversation_status_changed";
    public const string ConversationUpdated = "conversation_updated";
    public const string ContactCreated = "contact_created";
    public const string ContactUpdated = "contact_updated";
    public const string TypingOn = "conversation_typing_on";
    public const string TypingOff = "conversation_typing_off";
    /// <summary>Chatwoot's UI subscribes new webhooks to it; ChatHub has no such event, so it is accepted and never sent.</summary>
    public const string WebwidgetTriggered = "webwidget_triggered";

    public static readonly IReadOnlyList<string> All =
    [
        MessageCreated, MessageUpdated, ConversationCreated, ConversationStatusChanged, ConversationUpdated,
        ContactCreated, ContactUpdated, TypingOn, TypingOff, WebwidgetTriggered,
    ];

    /// <summary>What a webhook created without subscriptions receives: Chatwoot's default (everything but typing).</summary>
    public static readonly IReadOnlyList<string> Default =
    [
        ConversationStatusChanged, ConversationUpdated, ConversationCreated, ContactCreated, ContactUpdated,
        MessageCreated, MessageUpdated, WebwidgetTriggered,
    ];

    /// <summary>The webhook events of one ChatHub event. As Chatwoot: a status change is both
    /// conversation_status_changed and conversation_updated; activity lines are not sent (Message#webhook_sendable?).</summary>
    public static IEnumerable<string> Of(E.ChatEvent change) => change switch
    {
        E.MessageCreated m when m.Message.MessageType != MessageTypes.Activity => [MessageCreated],
        E.MessageUpdated m when m.Message.MessageType != MessageTypes.Activity => [MessageUpdated],
        E.ConversationCreated => [ConversationCreated],
        E.ConversationUpdated { PreviousStatus: { } previous } u when previous != u.Conversation.Status =>
            [ConversationStatusChanged, ConversationUpdated],
        E.ConversationUpdated => [ConversationUpdated],
        E.ContactCreated => [ContactCreated],
        E.ContactUpdated => [ContactUpdated],
        E.TypingChanged t => [t.IsTyping ? TypingOn : TypingOff],
        _ => [],
    };
}
