using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>What <see cref="CustomerSession"/> and <see cref="AgentSession"/> share: a
/// <see cref="ReliableChatConnection"/> and its changes as plain events. Events run one at a time, in seq order
/// per conversation (see <see cref="ReliableChatConnection"/> for exactly what arrives after a reconnect); a
/// handler may call the session. Subscribe before <c>StartAsync</c> to see everything.</summary>
public abstract class ChatSession : IAsyncDisposable
{
    private ReliableChatConnection? _connection;

    private protected ChatSession(IRetryPolicy? reconnect, ILoggerFactory? loggerFactory)
    {
        Reconnect = reconnect;
        LoggerFactory = loggerFactory;
    }

    /// <summary>A message the app has not had yet: from the other side, from this session (with its echoId),
    /// or, after a reconnect, anything missed.</summary>
    public event Action<MessageDto>? MessageCreated;

    /// <summary>A change to a message the app has (e.g. a form's submitted values).</summary>
    public event Action<MessageDto>? MessageUpdated;

    /// <summary>A conversation the app did not have: new (seq 0, no messages), or found after a reconnect
    /// (with its newest page).</summary>
    public event Action<ConversationDto>? ConversationCreated;

    /// <summary>Status, assignee or seen markers changed (after a reconnect: the current state, once).</summary>
    public event Action<ConversationDto>? ConversationUpdated;

    public event Action<TypingEvent>? Typing;

    public event Action<PresenceEvent>? PresenceChanged;

    public event Action<ContactDto>? ContactUpdated;

    /// <summary>The connection was lost (for longer than a stateful reconnect bridges); sends wait and are retried
    /// after <see cref="Reconnected"/>.</summary>
    public event Action<Exception?>? Reconnecting;

    /// <summary>Back, and caught up: what was missed has been raised before this.</summary>
    public event Action? Reconnected;

    /// <summary>Over for good: stopped (null), or reconnecting gave up (why).</summary>
    public event Action<Exception?>? Closed;

    /// <summary>The connection behind the session, for anything the session does not wrap.</summary>
    public ReliableChatConnection Connection =>
        _connection ?? throw new InvalidOperationException("The session has not been started.");

    private protected IRetryPolicy? Reconnect { get; }

    private protected ILoggerFactory? LoggerFactory { get; }

    public Task StopAsync(CancellationToken cancellationToken = default) =>
        _connection?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>The connection, created on the first start with its events routed to this session's before
    /// anything can arrive; a later start (after a failed start, a stop, or reconnecting gave up) reuses it.</summary>
    private protected ReliableChatConnection ConnectionFor(Uri serverUrl, string accessToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }
        var connection = new ReliableChatConnection(new ReliableChatConnectionOptions
        {
            ServerUrl = serverUrl,
            AccessToken = accessToken,
            Reconnect = Reconnect,
            LoggerFactory = LoggerFactory,
        });
        connection.On(new EventRelay(this));
        connection.Reconnecting += error => Raise(() => Reconnecting?.Invoke(error));
        connection.Reconnected += _ => Raise(() => Reconnected?.Invoke());
        connection.Closed += error => Raise(() => Closed?.Invoke(error));
        _connection = connection;
        return connection;
    }

    private static Task Raise(Action raise)
    {
        raise();
        return Task.CompletedTask;
    }

    private sealed class EventRelay(ChatSession session) : IChatClient
    {
        public Task MessageCreated(MessageDto message) => Raise(() => session.MessageCreated?.Invoke(message));

        public Task MessageUpdated(MessageDto message) => Raise(() => session.MessageUpdated?.Invoke(message));

        public Task ConversationCreated(ConversationDto conversation) => Raise(() => session.ConversationCreated?.Invoke(conversation));

        public Task ConversationUpdated(ConversationDto conversation) => Raise(() => session.ConversationUpdated?.Invoke(conversation));

        public Task Typing(TypingEvent typing) => Raise(() => session.Typing?.Invoke(typing));

        public Task PresenceChanged(PresenceEvent presence) => Raise(() => session.PresenceChanged?.Invoke(presence));

        public Task ContactUpdated(ContactDto contact) => Raise(() => session.ContactUpdated?.Invoke(contact));
    }
}
