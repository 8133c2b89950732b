using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatHub.Client;

/// <summary>The official <see cref="HubConnection"/> for apps. It reconnects (<see cref="ReconnectPolicy.Default"/>
/// unless the options name a policy; stateful reconnect bridges short drops); it hands the handlers given to
/// <see cref="On"/> each change of every conversation it tracks exactly once and in seq order, fetching with
/// GetMessages {afterSeq} whatever pushes missed (after every reconnect, and whenever a push skips a seq); and it
/// retries calls made while disconnected until the server acknowledges them, sends with the same echoId so nothing
/// is stored twice.
/// <para>What the handlers get, per conversation, in seq order: the app's own messages too (as MessageCreated,
/// with the echoId it sent), since the server does not push a sender's own message back to it. After a gap or a
/// reconnect: every message the app lacks as MessageCreated (with its current content), every change to a message
/// it has as MessageUpdated, then, when status, assignee or seen markers changed, one ConversationUpdated with the
/// current state (changes in between are coalesced). A conversation first seen through a push is tracked from that
/// push on; <see cref="TrackAsync"/> starts one from a snapshot the app already has.</para></summary>
public sealed partial class ReliableChatConnection : IAsyncDisposable
{
    private readonly AppHandlers _app;
    private readonly ConversationTracker _tracker;
    private readonly SerialDispatcher _queue;
    private readonly ConnectionGenerations _generations;
    private readonly GiveUpRecorder _reconnect;
    private readonly ILogger _logger;
    private int _resyncPageSize = 100;

    public ReliableChatConnection(ReliableChatConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.AccessToken);
        var policy = options.Reconnect ?? ReconnectPolicy.Default;
        (policy as ReconnectPolicy)?.Validate();
        _reconnect = new GiveUpRecorder(policy);
        Connection = options.BuildConnection(_reconnect);
        Hub = new ChatHubProxy(Connection);
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ReliableChatConnection>();
        _queue = new SerialDispatcher(_logger);
        _generations = new ConnectionGenerations(Connection);
        _app = new AppHandlers(_logger);
        _tracker = new ConversationTracker(_app, request => Hub.GetMessages(request), () => ResyncPageSize, _logger);
        Connection.OnQueued(new PushIntake(_tracker, _app), _queue);
        Connection.Reconnecting += OnReconnecting;
        Connection.Reconnected += OnReconnected;
        Connection.Closed += OnClosed;
    }

    /// <summary>The official connection underneath (state, connection id, <c>On</c> for raw pushes).</summary>
    public HubConnection Connection { get; }

    /// <summary>Typed hub calls on <see cref="Connection"/>, made once: no retry, no tracking.</summary>
    public ChatHubProxy Hub { get; }

    public HubConnectionState State => Connection.State;

    /// <summary>Messages per GetMessages page when catching up (1..100).</summary>
    public int ResyncPageSize
    {
        get => _resyncPageSize;
        set => _resyncPageSize = value is >= 1 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>After a reconnect, also list these conversations: one not tracked yet (say, started on another
    /// device while this one was away) is handed over as ConversationCreated with its newest page. Null: none.</summary>
    public ListConversationsRequest? DiscoverOnReconnect { get; set; }

    /// <summary>GetMessages calls made to fill gaps and catch up so far (for tests and diagnostics).</summary>
    internal int CatchUpFetches => _tracker.Fetches;

    /// <summary>Routes the tracked changes (and typing, presence and contact pushes, as they come) to
    /// <paramref name="handler"/>, one at a time. Dispose the result to stop.</summary>
    public IDisposable On(IChatClient handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _app.Add(handler);
    }

    /// <summary>Tracks a conversation from a snapshot the app has (its state and newest page): the handlers get
    /// the changes after <c>snapshot.Seq</c>. Called from a handler, it applies after that handler returns.</summary>
    public Task TrackAsync(ConversationDto snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return OnQueueAsync(() => _tracker.TrackAsync(snapshot));
    }

    /// <summary>Forgets a conversation (say, the app closed it), so reconnects no longer fetch it. A later push of
    /// it is still handed over, and tracks it again from there.</summary>
    public Task UntrackAsync(long conversationId) => OnQueueAsync(() =>
    {
        _tracker.Untrack(conversationId);
        return Task.CompletedTask;
    });

    /// <summary>Sends a message; while disconnected it waits for the reconnect and sends again with the same
    /// echoId (a new GUID when the request has none), and completes when the server acknowledged it.</summary>
    public async Task<MessageDto> SendMessageAsync(SendMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { EchoId = request.EchoId ?? NewEchoId() };
        _tracker.BeginOwnCall(request.ConversationId);
        MessageDto? acknowledged = null;
        try
        {
            acknowledged = await UntilAcknowledgedAsync(token => Hub.SendMessage(request, token), cancellationToken).ConfigureAwait(false);
            return acknowledged;
        }
        finally
        {
            var conversationId = request.ConversationId;
            _queue.Enqueue(() => _tracker.OnOwnCallEndedAsync(conversationId, acknowledged));
        }
    }

    /// <summary>Starts a conversation (contacts). With a first message it is retried like a send (the server
    /// answers a retry with the conversation it created); without one it is tried once.</summary>
    public async Task<ConversationDto> StartConversationAsync(StartConversationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ConversationDto started;
        if (request.Message is { } first)
        {
            request = request with { Message = first with { EchoId = first.EchoId ?? NewEchoId() } };
            started = await UntilAcknowledgedAsync(token => Hub.StartConversation(request, token), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _generations.WaitConnectedAsync(0, cancellationToken).ConfigureAwait(false);
            started = await Hub.StartConversation(request, cancellationToken).ConfigureAwait(false);
        }
        _queue.Enqueue(() => _tracker.OnOwnStartAsync(started));
        return started;
    }

    /// <summary>Sets the status, retried across reconnects (setting a status twice changes nothing). The change
    /// reaches the handlers as ConversationUpdated and an activity message.</summary>
    public Task<ConversationDto> SetStatusAsync(long conversationId, string status, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.SetStatus(conversationId, status, token), cancellationToken);

    /// <summary>Assigns (agents; null unassigns), retried across reconnects (assigning twice changes nothing).</summary>
    public Task<ConversationDto> AssignAsync(long conversationId, long? agentId, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.Assign(conversationId, agentId, token), cancellationToken);

    /// <summary>Marks the conversation seen, retried across reconnects.</summary>
    public Task MarkSeenAsync(long conversationId, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(async token =>
        {
            await Hub.MarkSeen(conversationId, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Lists conversations (retried across reconnects) and tracks each from the snapshot returned.</summary>
    public async Task<IReadOnlyList<ConversationDto>> ListConversationsAsync(ListConversationsRequest request, CancellationToken cancellationToken = default)
    {
        var conversations = await UntilAcknowledgedAsync(token => Hub.ListConversations(request, token), cancellationToken).ConfigureAwait(false);
        foreach (var conversation in conversations)
        {
            await TrackAsync(conversation).ConfigureAwait(false);
        }
        return conversations;
    }

    /// <summary>A page of messages (e.g. older history with <c>Before</c>), retried across reconnects. It does
    /// not go to the handlers: it is the app's to show.</summary>
    public Task<GetMessagesResult> GetMessagesAsync(GetMessagesRequest request, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.GetMessages(request, token), cancellationToken);

    private static string NewEchoId() => Guid.NewGuid().ToString("N");

    /// <summary>Calls until a connection answers: a call cut off by a lost connection may or may not have reached
    /// the server, so only calls that are safe to repeat come here. Fails once the connection is down for good.</summary>
    private async Task<T> UntilAcknowledgedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var generation = await _generations.WaitConnectedAsync(after, cancellationToken).ConfigureAwait(false);
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (ChatHubConnectionClosedException ex)
            {
                _logger.LogDebug(ex, "A call was cut off by a lost connection; it is retried after the reconnect.");
                after = generation;
            }
        }
    }

    /// <summary>Runs tracker work on the queue. From queued work (a handler) it is queued behind it rather than
    /// awaited (awaiting the queue from inside it would never finish).</summary>
    private Task OnQueueAsync(Func<Task> work)
    {
        if (_queue.IsCurrent)
        {
            _queue.Enqueue(work);
            return Task.CompletedTask;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = _queue.Enqueue(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        return queued ? done.Task : Task.FromException(new ObjectDisposedException(nameof(ReliableChatConnection)));
    }

    private async Task CatchUpAsync()
    {
        await _tracker.ResyncAllAsync().ConfigureAwait(false);
        if (DiscoverOnReconnect is not { } request)
        {
            return;
        }
        try
        {
            await _tracker.DiscoverAsync(await Hub.ListConversations(request).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChatHubConnectionClosedException or ChatHubException)
        {
            _logger.LogDebug(ex, "Listing conversations after a reconnect failed; the next reconnect tries again.");
        }
    }
}
