using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>A customer's chat in a few calls: <see cref="StartAsync"/> creates or resumes the contact over REST,
/// connects, and picks up the contact's latest conversation; <see cref="SendMessageAsync"/> writes to it (starting one
/// when there is none); changes arrive as the <see cref="ChatSession"/> events.</summary>
public sealed class CustomerSession(CustomerSessionOptions options) : ChatSession(options.Reconnect, options.LoggerFactory)
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private ContactDto? _contact;
    private ConversationDto? _conversation;

    /// <summary>The customer; keep its <c>SourceId</c> to resume next time.</summary>
    public ContactDto Contact => _contact ?? throw new InvalidOperationException("The session has not been started.");

    /// <summary>The conversation this session writes to, as it was when resumed or started (with its newest
    /// page of messages: show those, then apply the events); null until the first message starts one.</summary>
    public ConversationDto? Conversation => Volatile.Read(ref _conversation);

    /// <summary>Creates or resumes the contact, connects and picks up the latest conversation. After a failure,
    /// a stop or <see cref="ChatSession.Closed"/>, calling it again carries on where the session was.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _contact ??= await CreateOrResumeContactAsync(new RestClient(options.ServerUrl), cancellationToken).ConfigureAwait(false);
        var connection = ConnectionFor(options.ServerUrl, _contact.PubsubToken);
        // A conversation started on another device while this one was away is handed over after a reconnect.
        connection.DiscoverOnReconnect = new ListConversationsRequest();
        await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        var conversations = await connection.ListConversationsAsync(new ListConversationsRequest(), cancellationToken).ConfigureAwait(false);
        _conversation ??= conversations.FirstOrDefault(); // newest activity first
    }

    /// <summary>Sends a message; the first one starts the conversation. While disconnected it waits and is sent
    /// again with the same echoId, so it is stored once.</summary>
    public async Task<MessageDto> SendMessageAsync(string content, CancellationToken cancellationToken = default)
    {
        var echoId = Guid.NewGuid().ToString("N");
        if (Conversation is { } conversation)
        {
            return await Connection.SendMessageAsync(
                new SendMessageRequest { ConversationId = conversation.Id, Content = content, EchoId = echoId }, cancellationToken).ConfigureAwait(false);
        }

        // One start at a time, so two first messages do not open two conversations.
        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Conversation is not null)
            {
                return await SendMessageAsync(content, cancellationToken).ConfigureAwait(false);
            }
            var started = await Connection.StartConversationAsync(
                new StartConversationRequest { Message = new NewMessage { Content = content, EchoId = echoId } }, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _conversation, started);
            return started.Messages.First(m => m.EchoId == echoId);
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Tells the agents the customer is typing. Typing is momentary: while disconnected it is dropped.</summary>
    public async Task SetTypingAsync(bool isTyping, CancellationToken cancellationToken = default)
    {
        if (Conversation is not { } conversation)
        {
            return;
        }
        try
        {
            await Connection.SetTypingAsync(conversation.Id, isTyping, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatHubConnectionClosedException)
        {
            // Nobody needs to learn later that the customer was typing.
        }
    }

    /// <summary>Older messages, oldest first: pass the oldest id the app shows as <paramref name="beforeMessageId"/>
    /// (null: the newest page). <c>HasMore</c> says whether there are older ones still.</summary>
    public Task<GetMessagesResult> GetHistoryAsync(long? beforeMessageId = null, int limit = 20, CancellationToken cancellationToken = default) =>
        Conversation is { } conversation
            ? Connection.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Before = beforeMessageId, Limit = limit }, cancellationToken)
            : Task.FromResult(new GetMessagesResult());

    /// <summary>Marks the agents' messages read.</summary>
    public Task MarkSeenAsync(CancellationToken cancellationToken = default) =>
        Conversation is { } conversation ? Connection.MarkSeenAsync(conversation.Id, cancellationToken) : Task.CompletedTask;

    /// <summary>Resolves the conversation; writing again reopens it.</summary>
    public Task ResolveAsync(CancellationToken cancellationToken = default) =>
        Conversation is { } conversation
            ? Connection.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved, cancellationToken)
            : Task.CompletedTask;

    private async Task<ContactDto> CreateOrResumeContactAsync(RestClient rest, CancellationToken cancellationToken)
    {
        var contacts = $"/public/api/v1/inboxes/{Uri.EscapeDataString(options.InboxIdentifier)}/contacts";
        if (options.SourceId is { } sourceId)
        {
            try
            {
                return await rest.GetAsync<ContactDto>($"{contacts}/{Uri.EscapeDataString(sourceId)}", cancellationToken).ConfigureAwait(false);
            }
            catch (ChatHubException ex) when (ex.Code == ErrorCodes.NotFound)
            {
                // The server no longer knows this customer (say, its data was reset): start afresh.
            }
        }
        return await rest.PostAsync<ContactDto>(contacts, new
        {
            identifier = options.Identifier,
            identifier_hash = options.IdentifierHash,
            name = options.Name,
            email = options.Email,
            phone_number = options.PhoneNumber,
        }, cancellationToken).ConfigureAwait(false);
    }
}
