using ChatHub.Contracts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Events;

/// <summary>Who may see what, written once for every sink and every read: contacts never see private notes nor
/// the agents' activity lines; typing and a sender's own message are not echoed to the connection they came from;
/// agents never see a contact's credentials (the sinks map contacts for agents without them).</summary>
public static class Visibility
{
    /// <summary>Contacts see conversation changes, but not private notes or activity lines (as Chatwoot's widget).
    /// A message they cannot see takes no contact seq, so their stream has no gap where it was written.</summary>
    public static bool ContactSees(MessageRow message) => !message.Private && message.MessageType != MessageTypes.Activity;

    public static bool ContactSees(ChatEvent change) => change switch
    {
        MessageCreated m => ContactSees(m.Message),
        MessageUpdated m => ContactSees(m.Message),
        // A contact's own typing is for the agents; an agent's typing reaches the contact.
        TypingChanged t => t.Typist.Type != SenderTypes.Contact,
        // What a customer has not sent yet is for the inbox's agents alone: not even the sender's other tabs.
        SneakPeekChanged => false,
        // Labels and priority are the agents' own.
        ConversationUpdated { AgentsOnly: true } => false,
        ConversationEvent or ContactUpdated => true,
        _ => false,
    };

    /// <summary>An inbox's contacts, all of them, see whether someone of the inbox is online: that and nothing else of the
    /// agents' presence (not who, not busy). Agents see every agent's presence.</summary>
    public static bool ContactsOfInboxSee(ChatEvent change) => change is InboxAvailabilityChanged;

    public static bool AgentsSeePresence(ChatEvent change) => change is PresenceChanged;

    /// <summary>Visitors on the site (issue 27) are for the agents of the visitor's inbox only: never contacts, never
    /// webhooks or /cable; what they see of a visitor never includes its address or its widget's key.</summary>
    public static bool AgentsOfInboxSeeVisitors(ChatEvent change) => change is Features.Visitors.VisitorChanged;

    /// <summary>The inbox's agents see every change of its conversations and contacts.</summary>
    public static bool AgentsSee(ChatEvent change) => change is ConversationEvent or ContactUpdated;

    /// <summary>A customer's sneak peek goes to the agents of the conversation's inbox (their streams, as typing does),
    /// and nowhere else: never a contact, a webhook or the store.</summary>
    public static bool AgentsSeeSneakPeek(ChatEvent change) => change is SneakPeekChanged;

    /// <summary>The agent a change is not sent back to on any of its /cable subscriptions: an agent's own typing (Chatwoot
    /// leaves the typist's pubsub token out, <c>typing_event_listener_tokens</c>).</summary>
    public static long? ExceptAgent(ChatEvent change) =>
        change is TypingChanged { Typist: { Type: SenderTypes.Agent } typist } ? typist.Id : null;

    /// <summary>The one connection a change is not sent to: the one it came from.</summary>
    public static string? ExceptConnection(ChatEvent change) => change switch
    {
        MessageCreated m => m.OriginConnectionId,
        TypingChanged t => t.OriginConnectionId,
        _ => null,
    };
}
