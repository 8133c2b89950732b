using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatHub.Client;

/// <summary>What <see cref="CustomerSession"/> and <see cref="AgentSession"/> share: a
/// <see cref="ReliableChatConnection"/> and its changes as events. Events are <c>Func&lt;T, Task&gt;</c>, as the
/// official client's are: handlers run one at a time, each awaited before the next change, in seq order per
/// conversation (see <see cref="ReliableChatConnection"/> for exactly what arrives after a reconnect); a handler that
/// throws is logged and the others still run; a handler may call the session. Subscribe before <c>StartAsync</c> to
/// see everything.</summary>
public abstract class ChatSession : IAsyncDisposable
{
    private readonly ILogger _logger;
    private ReliableChatConnection? _connection;

    private protected ChatSession(IRetryPolicy? reconnect, ILoggerFactory? loggerFactory)
    {
        Reconnect = reconnect;
        LoggerFactory = loggerFactory;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ChatSession>();
    }

    /// <summary>A message the app has not had yet: from the other side, from this session (with its echoId),
    /// or, after a reconnect, anything missed.</summary>
    public event Func<MessageDto, Task>? MessageCreated;

    /// <summary>A change to a message the app has (e.g. a form's submitted values).</summary>
    public event Func<MessageDto, Task>? MessageUpdated;

    /// <summary>A conversation the app did not have: new (seq 0, no messages), or found after a reconnect
    /// (with its newest page).</summary>
    public event Func<ConversationDto, Task>? ConversationCreated;

    /// <summary>Status, assignee or seen markers changed (after a reconnect: the current state, once).</summary>
    public event Func<ConversationDto, Task>? ConversationUpdated;

    /// <summary>Someone on the other side started or stopped typing; not sequenced, not caught up.</summary>
    public event Func<TypingEvent, Task>? Typing;

    /// <summary>An agent's availability changed; not sequenced, not caught up.</summary>
    public event Func<PresenceEvent, Task>? PresenceChanged;

    /// <summary>A contact's details changed; not sequenced, not caught up.</summary>
    public event Func<ContactDto, Task>? ContactUpdated;

    /// <summary>(A contact's session) its inbox gained its first online agent or lost its last one; not sequenced.</summary>
    public event Func<InboxAvailabilityEvent, Task>? InboxAvailabilityChanged;

    /// <summary>The connection was lost for longer than a stateful reconnect bridges (with why); sends wait and
    /// are retried after <see cref="Reconnected"/>.</summary>
    public event Func<Exception?, Task>? Reconnecting;

    /// <summary>Back on a new connection (with its id), and caught up: what was missed has been raised before this.</summary>
    public event Func<string?, Task>? Reconnected;

    /// <summary>Over for good: stopped (null, and only then), or reconnecting gave up (why;
    /// <see cref="ChatHubUnauthorizedException"/> for a refused token), or the server closed the connection for good
    /// (<see cref="ChatHubConnectionClosedException"/> unless it said why: e.g. the token was revoked).</summary>
    public event Func<Exception?, Task>? Closed;

    /// <summary>The connection behind the session, for anything the session does not wrap.</summary>
    public ReliableChatConnection Connection =>
        _connection ?? throw new InvalidOperationException("The session has not been started.");

    private protected IRetryPolicy? Reconnect { get; }

    private protected ILoggerFactory? LoggerFactory { get; }

    /// <summary>Disconnects, including reconnecting; <see cref="Closed"/> runs with null. <c>StartAsync</c>
    /// carries on from here.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        _connection?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Stops and releases the connection.</summary>
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
        var builder = new HubConnectionBuilder()
            .WithChatHub(serverUrl, accessToken)
            .WithAutomaticReconnect(Reconnect ?? ReconnectPolicy.Default)
            .WithStatefulReconnect();
        if (LoggerFactory is { } loggerFactory)
        {
            // Registered after the builder's own logging, so the connection resolves this one.
            builder.Services.AddSingleton(loggerFactory);
        }
        var connection = builder.BuildReliable();
        connection.On(new EventRelay(this));
        connection.Reconnecting += error => RaiseAsync(Reconnecting, error);
        connection.Reconnected += connectionId => RaiseAsync(Reconnected, connectionId);
        connection.Closed += error => RaiseAsync(Closed, error);
        _connection = connection;
        return connection;
    }

    private async Task RaiseAsync<T>(Func<T, Task>? handlers, T argument)
    {
        foreach (var handler in handlers?.GetInvocationList().Cast<Func<T, Task>>() ?? [])
        {
            try
            {
                await handler(argument).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A session event handler threw; the other handlers still run.");
            }
        }
    }

    private sealed class EventRelay(ChatSession session) : IChatClient
    {
        public Task MessageCreated(MessageDto message) => session.RaiseAsync(session.MessageCreated, message);

        public Task MessageUpdated(MessageDto message) => session.RaiseAsync(session.MessageUpdated, message);

        public Task ConversationCreated(ConversationDto conversation) => session.RaiseAsync(session.ConversationCreated, conversation);

        public Task ConversationUpdated(ConversationDto conversation) => session.RaiseAsync(session.ConversationUpdated, conversation);

        public Task Typing(TypingEvent typing) => session.RaiseAsync(session.Typing, typing);

        public Task PresenceChanged(PresenceEvent presence) => session.RaiseAsync(session.PresenceChanged, presence);

        public Task ContactUpdated(ContactDto contact) => session.RaiseAsync(session.ContactUpdated, contact);
        public Task InboxAvailabilityChanged(InboxAvailabilityEvent availability) => session.RaiseAsync(session.InboxAvailabilityChanged, availability);
    }
}
