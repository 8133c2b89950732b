using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>An agent's desk in a few calls: <see cref="StartAsync"/> reads the profile, connects and loads the
/// inbox conversations; send (replies and private notes), assign and set status; changes to every conversation of the agent's
/// inboxes arrive as the <see cref="ChatSession"/> events.</summary>
public sealed class AgentSession(AgentSessionOptions options) : ChatSession(options.Reconnect, options.LoggerFactory)
{
    private AgentDto? _profile;

    /// <summary>The agent (its <c>Id</c> is what <see cref="AssignAsync"/> takes to assign to oneself).</summary>
    public AgentDto Profile => _profile ?? throw new InvalidOperationException("The session has not been started.");

    /// <summary>The conversations loaded at start (each with its newest page); later changes arrive as events.</summary>
    public IReadOnlyList<ConversationDto> Conversations { get; private set; } = [];

    /// <summary>Reads the profile, connects and loads the conversations. After a failure, a stop or
    /// <see cref="ChatSession.Closed"/>, calling it again carries on where the session was.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _profile = await new RestClient(options.ServerUrl, options.AccessToken)
            .GetAsync<AgentDto>("/api/v1/profile", cancellationToken).ConfigureAwait(false);
        var connection = ConnectionFor(options.ServerUrl, options.AccessToken);
        connection.DiscoverOnReconnect = options.Conversations;
        await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        Conversations = await connection.ListConversationsAsync(options.Conversations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists (and tracks) other conversations, e.g. another status or page.</summary>
    public Task<IReadOnlyList<ConversationDto>> ListConversationsAsync(ListConversationsRequest request, CancellationToken cancellationToken = default) =>
        Connection.ListConversationsAsync(request, cancellationToken);

    /// <summary>Sends a message to the customer, or with <paramref name="isPrivate"/> a private note (agents see it,
    /// the customer never does). Retried across reconnects with the same echoId, so it is stored once.</summary>
    public Task<MessageDto> SendMessageAsync(long conversationId, string content, bool isPrivate = false, CancellationToken cancellationToken = default) =>
        Connection.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversationId,
            Content = content,
            Private = isPrivate ? true : null,
        }, cancellationToken);

    /// <summary>Assigns the conversation to an agent of its inbox (<c>Profile.Id</c> for oneself; null unassigns).</summary>
    public Task<ConversationDto> AssignAsync(long conversationId, long? agentId, CancellationToken cancellationToken = default) =>
        Connection.AssignAsync(conversationId, agentId, cancellationToken);

    /// <summary>Sets open, pending or resolved (<see cref="ConversationStatuses"/>).</summary>
    public Task<ConversationDto> SetStatusAsync(long conversationId, string status, CancellationToken cancellationToken = default) =>
        Connection.SetStatusAsync(conversationId, status, cancellationToken);

    /// <summary>Online, busy or offline (<see cref="Availabilities"/>), shown to the other agents; retried across
    /// reconnects.</summary>
    public Task SetAvailabilityAsync(string availability, CancellationToken cancellationToken = default) =>
        Connection.SetAvailabilityAsync(availability, cancellationToken);

    /// <summary>Marks the customer's messages read.</summary>
    public Task MarkSeenAsync(long conversationId, CancellationToken cancellationToken = default) =>
        Connection.MarkSeenAsync(conversationId, cancellationToken);

    /// <summary>Tells the customer an agent is typing; dropped while disconnected.</summary>
    public async Task SetTypingAsync(long conversationId, bool isTyping, CancellationToken cancellationToken = default)
    {
        try
        {
            await Connection.SetTypingAsync(conversationId, isTyping, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatHubConnectionClosedException)
        {
            // Typing is momentary.
        }
    }

    /// <summary>Older messages of a conversation, oldest first (see <see cref="CustomerSession.GetHistoryAsync"/>).</summary>
    public Task<GetMessagesResult> GetHistoryAsync(long conversationId, long? beforeMessageId = null, int limit = 20,
        CancellationToken cancellationToken = default) =>
        Connection.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversationId, Before = beforeMessageId, Limit = limit }, cancellationToken);
}
