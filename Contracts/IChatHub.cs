using System.Text.Json;

namespace ChatHub.Contracts;

/// <summary>Client -> server methods of the hub at <c>/hubs/chat</c>. One name serves contacts and agents;
/// the server decides by the caller's role. Errors arrive as HubException "code: detail".</summary>
public interface IChatHub
{
    Task<ConversationDto> StartConversation(StartConversationRequest request);
    Task<MessageDto> SendMessage(SendMessageRequest request);
    Task<IReadOnlyList<ConversationDto>> ListConversations(ListConversationsRequest request);
    Task<GetMessagesResult> GetMessages(GetMessagesRequest request);
    Task SetTyping(long conversationId, bool isTyping);
    Task MarkSeen(long conversationId);
    Task<ConversationDto> SetStatus(long conversationId, string status);
    Task<ConversationDto> Assign(long conversationId, long? agentId);
    Task<ContactDto> UpdateContact(UpdateContactRequest request);
    Task<MessageDto> SubmitValues(long messageId, JsonElement submittedValues);
    Task SetAvailability(string availability);
    /// <summary>Answers the server's clock (Unix milliseconds), for clients measuring round trips.</summary>
    Task<long> Ping(long clientTime);
}

/// <summary>Server -> client pushes. Every conversation and message push carries the change's seq.</summary>
public interface IChatClient
{
    Task MessageCreated(MessageDto message);
    Task MessageUpdated(MessageDto message);
    Task ConversationCreated(ConversationDto conversation);
    Task ConversationUpdated(ConversationDto conversation);
    Task Typing(TypingEvent typing);
    /// <summary>To agents: an agent's availability changed.</summary>
    Task PresenceChanged(PresenceEvent presence);
    Task ContactUpdated(ContactDto contact);
    /// <summary>To the contacts of an inbox: it gained its first online agent or lost its last one.</summary>
    Task InboxAvailabilityChanged(InboxAvailabilityEvent availability);
    /// <summary>Agents joined or left an inbox (to every agent): a console whose agent is among them reloads its list.
    /// Ignored unless a client implements it (a default, so that existing clients still build).</summary>
    Task InboxMembersChanged(InboxMembersEvent change) => Task.CompletedTask;
    /// <summary>To an inbox's agents: what the customer is typing (sneak peek, issue 27). Ignored unless a client
    /// implements it.</summary>
    Task SneakPeek(SneakPeekEvent peek) => Task.CompletedTask;
    /// <summary>To agents of an inbox: a visitor on the site opened a page, or came back (visitors, issue 27). A default,
    /// like InboxMembersChanged.</summary>
    Task VisitorChanged(VisitorDto visitor) => Task.CompletedTask;
}

public static class HubPaths
{
    public const string Chat = "/hubs/chat";
}

public static class ErrorCodes
{
    public const string Validation = "validation";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
}
