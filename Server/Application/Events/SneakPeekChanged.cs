using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Events;

/// <summary>Sneak peek (issue 27): what a customer is typing in a conversation, not sent yet; empty when the box was
/// cleared. Not stored, and not a <see cref="ConversationEvent"/> on purpose: the sinks that handle every conversation
/// event (the contact's streams, webhooks, email) never see it; only the ones that name it (the inbox's agents'
/// streams) push it, as <see cref="Visibility.AgentsSeeSneakPeek"/> allows.</summary>
public sealed record SneakPeekChanged(ConversationRow Conversation, string Text) : ChatEvent;
