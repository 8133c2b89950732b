using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>Receives the raw pushes of the connection (on its push queue) and sends conversation changes
/// through the tracker; the rest (typing, presence, contact) goes straight to the app, in arrival order.</summary>
internal sealed class PushIntake(ConversationTracker tracker, IChatClient app) : IChatClient
{
    public Task MessageCreated(MessageDto message) => tracker.OnPushAsync(Change.Created(message));

    public Task MessageUpdated(MessageDto message) => tracker.OnPushAsync(Change.Updated(message));

    public Task ConversationCreated(ConversationDto conversation) => tracker.OnPushAsync(Change.Created(conversation));

    public Task ConversationUpdated(ConversationDto conversation) => tracker.OnPushAsync(Change.Updated(conversation));

    public Task Typing(TypingEvent typing) => app.Typing(typing);

    public Task PresenceChanged(PresenceEvent presence) => app.PresenceChanged(presence);

    public Task ContactUpdated(ContactDto contact) => app.ContactUpdated(contact);
    public Task InboxAvailabilityChanged(InboxAvailabilityEvent availability) => app.InboxAvailabilityChanged(availability);

    public Task InboxMembersChanged(InboxMembersEvent change) => app.InboxMembersChanged(change);
}
