using System.Text.Json;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>The official <see cref="Microsoft.AspNetCore.SignalR.Client.HubConnection"/> for apps; build it with
/// <c>new HubConnectionBuilder().WithChatHub(url, token).BuildReliable()</c>
/// (<see cref="ChatHubConnectionBuilderExtensions.BuildReliable"/>). It reconnects (<see cref="ReconnectPolicy.Default"/>
/// unless the builder names a policy; stateful reconnect, when the builder turns it on, bridges short drops); it
/// hands the handlers given to <see cref="On"/> each change of every conversation it tracks exactly once and in seq
/// order, fetching with GetMessages {afterSeq} whatever pushes missed (after every reconnect, and whenever a push
/// skips a seq); and it retries calls made while disconnected until the server acknowledges them, sends with the
/// same echoId so nothing is stored twice. Each hub method has one call here (<see cref="SendMessageAsync"/> is the
/// one way to send); which are retried is said on each.
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

    /// <summary>Wraps a connection that reconnects through <paramref name="reconnect"/> (see
    /// <see cref="ChatHubConnectionBuilderExtensions.BuildReliable"/>, the only place that can arrange that).</summary>
    internal ReliableChatConnection(HubConnection hubConnection, GiveUpRecorder reconnect, ILoggerFactory loggerFactory)
    {
        HubConnection = hubConnection;
        _reconnect = reconnect;
        Hub = new ChatHubProxy(hubConnection);
        _logger = loggerFactory.CreateLogger<ReliableChatConnection>();
        _queue = new SerialDispatcher(_logger);
        _generations = new ConnectionGenerations(hubConnection);
        _app = new AppHandlers(_logger);
        _tracker = new ConversationTracker(_app, request => Hub.GetMessagesAsync(request), () => ResyncPageSize, _logger);
        hubConnection.OnQueued(new PushIntake(_tracker, _app), _queue);
        hubConnection.Reconnecting += OnReconnecting;
        hubConnection.Reconnected += OnReconnected;
        hubConnection.Closed += OnClosed;
    }

    /// <summary>The official connection underneath (e.g. its <c>HandshakeTimeout</c>, or <c>On</c> for raw pushes).
    /// Calls made on it directly bypass the tracking and the retries.</summary>
    public HubConnection HubConnection { get; }

    /// <summary>Connected, connecting, reconnecting or disconnected, as the official connection says.</summary>
    public HubConnectionState State => HubConnection.State;

    /// <summary>The current connection's id (a new one after each reconnect; the same across a stateful
    /// reconnect); null while not connected.</summary>
    public string? ConnectionId => HubConnection.ConnectionId;

    /// <summary>Messages per GetMessages page when catching up (1..100).</summary>
    public int ResyncPageSize
    {
        get => _resyncPageSize;
        set => _resyncPageSize = value is >= 1 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>After a reconnect, also list these conversations: one not tracked yet (say, started on another
    /// device while this one was away) is handed over as ConversationCreated with its newest page. Null: none.</summary>
    public ListConversationsRequest? DiscoverOnReconnect { get; set; }

    /// <summary>Typed hub calls on <see cref="HubConnection"/>, made once: no retry, no tracking.</summary>
    internal ChatHubProxy Hub { get; }

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
            acknowledged = await UntilAcknowledgedAsync(token => Hub.SendMessageAsync(request, token), cancellationToken).ConfigureAwait(false);
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
            started = await UntilAcknowledgedAsync(token => Hub.StartConversationAsync(request, token), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _generations.WaitConnectedAsync(0, cancellationToken).ConfigureAwait(false);
            started = await Hub.StartConversationAsync(request, cancellationToken).ConfigureAwait(false);
        }
        _queue.Enqueue(() => _tracker.OnOwnStartAsync(started));
        return started;
    }

    /// <summary>Sets the status, retried across reconnects (setting a status twice changes nothing). The change
    /// reaches the handlers as ConversationUpdated and an activity message.</summary>
    public Task<ConversationDto> SetStatusAsync(long conversationId, string status, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.SetStatusAsync(conversationId, status, token), cancellationToken);

    /// <summary>Assigns (agents; null unassigns), retried across reconnects (assigning twice changes nothing).</summary>
    public Task<ConversationDto> AssignAsync(long conversationId, long? agentId, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.AssignAsync(conversationId, agentId, token), cancellationToken);

    /// <summary>Marks the other side's messages read, retried across reconnects.</summary>
    public Task MarkSeenAsync(long conversationId, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.MarkSeenAsync(conversationId, token), cancellationToken);

    /// <summary>Tells the other side the caller is (or stopped) typing. Typing is momentary, so it is tried once:
    /// while disconnected it throws <see cref="ChatHubConnectionClosedException"/> (the sessions drop it).</summary>
    public Task SetTypingAsync(long conversationId, bool isTyping, CancellationToken cancellationToken = default) =>
        Hub.SetTypingAsync(conversationId, isTyping, cancellationToken);

    /// <summary>Online, busy or offline (<see cref="Availabilities"/>; agents), retried across reconnects (setting
    /// it twice changes nothing).</summary>
    public Task SetAvailabilityAsync(string availability, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.SetAvailabilityAsync(availability, token), cancellationToken);

    /// <summary>Updates the calling contact, retried across reconnects (the same values twice change nothing).
    /// The change reaches the handlers as ContactUpdated.</summary>
    public Task<ContactDto> UpdateContactAsync(UpdateContactRequest request, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.UpdateContactAsync(request, token), cancellationToken);

    /// <summary>A contact's answer to an interactive message, retried across reconnects (the same answer twice
    /// leaves the same values). The updated message reaches the handlers as MessageUpdated.</summary>
    public Task<MessageDto> SubmitValuesAsync(long messageId, JsonElement submittedValues, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.SubmitValuesAsync(messageId, submittedValues, token), cancellationToken);

    /// <summary>The server's clock (Unix milliseconds), tried once: a round trip measured across a reconnect
    /// would mean nothing. Throws <see cref="ChatHubConnectionClosedException"/> while disconnected.</summary>
    public Task<long> PingAsync(long clientTime, CancellationToken cancellationToken = default) =>
        Hub.PingAsync(clientTime, cancellationToken);

    /// <summary>Lists conversations (retried across reconnects) and tracks each from the snapshot returned.</summary>
    public async Task<IReadOnlyList<ConversationDto>> ListConversationsAsync(ListConversationsRequest request, CancellationToken cancellationToken = default)
    {
        var conversations = await UntilAcknowledgedAsync(token => Hub.ListConversationsAsync(request, token), cancellationToken).ConfigureAwait(false);
        foreach (var conversation in conversations)
        {
            await TrackAsync(conversation).ConfigureAwait(false);
        }
        return conversations;
    }

    /// <summary>A page of messages (e.g. older history with <c>Before</c>), retried across reconnects. It does
    /// not go to the handlers: it is the app's to show.</summary>
    public Task<GetMessagesResult> GetMessagesAsync(GetMessagesRequest request, CancellationToken cancellationToken = default) =>
        UntilAcknowledgedAsync(token => Hub.GetMessagesAsync(request, token), cancellationToken);

    private static string NewEchoId() => Guid.NewGuid().ToString("N");

    /// <summary>Calls until a connection answers: a call cut off by a lost connection may or may not have reached
    /// the server, so only calls that are safe to repeat come here. Fails once the connection is down for good.</summary>
    private Task UntilAcknowledgedAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        UntilAcknowledgedAsync(async token =>
        {
            await call(token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

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
            await _tracker.DiscoverAsync(await Hub.ListConversationsAsync(request).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChatHubConnectionClosedException or ChatHubException)
        {
            _logger.LogDebug(ex, "Listing conversations after a reconnect failed; the next reconnect tries again.");
        }
    }
}
