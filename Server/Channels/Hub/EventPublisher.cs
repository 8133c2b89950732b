using ChatHub.Contracts;
using ChatHub.Server.Observability;
using ChatHub.Server.ScaleOut;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Hub;

/// <summary>Who a push goes to: the conversation's contact (all its connections), the agents of an inbox,
/// minus one connection (a sender's own).</summary>
public sealed record Audience(string? ContactGroup, long? InboxId, string? ExceptConnectionId = null);

/// <summary>Sends pushes through IHubContext and groups only (so it works unchanged behind a backplane).
/// Sends are started on the publishing thread, one at a time, in the order they were published (the store
/// publishes in commit order), so every connection receives a conversation's changes in seq order, without a hop
/// to another thread; they are never awaited, so neither the caller (whose acknowledgement is the commit) nor the
/// pushes behind a slow one wait for it (a connection's write only fills its own buffer: SlowReaderGuard).
/// <para>Behind Redis a send fails when Redis is away (after StackExchange.Redis's 5 s timeout). A failed send is
/// kept and started again, in the original order, when the backplane is healthy (<see cref="ResendFailed"/>, each
/// time it turns healthy again): clients of nodes that never lost Redis then get it. Clients dedupe by
/// seq, so a push that arrives twice or late changes nothing.</para></summary>
public sealed class EventPublisher
{
    /// <summary>Failed sends kept for a resend; beyond it the newest failures are dropped (logged). When every node
    /// lost Redis, nothing depends on them: every node closes its connections once Redis is back, so they resync.</summary>
    public const int MaxFailedKept = 100_000;
    private const int MaxAttempts = 3;
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly IBackplaneStatus? _backplane;
    private readonly ILogger<EventPublisher> _logger;
    private readonly Lock _starting = new(); // one send starts at a time, in order
    private readonly SortedDictionary<long, Send> _failed = [];
    private long _order; // under _starting
    private long _droppedFailures;
    private long _inFlight;

    public EventPublisher(IHubContext<ChatHub, IChatClient> hub, ChatMetrics metrics, ILogger<EventPublisher> logger,
        IBackplaneStatus? backplane = null)
    {
        _hub = hub;
        _logger = logger;
        _backplane = backplane;
        if (backplane is not null) backplane.BecameHealthy += ResendFailed;
        metrics.Meter.CreateObservableGauge("chathub.push.queue", () => QueuedPushes, "{push}",
            "Pushes started and not yet sent, plus pushes kept to send again after a backplane outage");
    }

    /// <summary>Starts one push: <paramref name="toContact"/> to the contact's group, <paramref name="toAgents"/>
    /// to the inbox's group (either may be null).</summary>
    public void Publish(Audience audience, Func<IChatClient, Task>? toContact, Func<IChatClient, Task>? toAgents)
    {
        lock (_starting)
        {
            if (toContact is not null && audience.ContactGroup is { } contactGroup)
                StartNew(clients => toContact(Group(clients, contactGroup, audience.ExceptConnectionId)));
            if (toAgents is not null && audience.InboxId is { } inboxId)
                StartNew(clients => toAgents(Group(clients, Groups.Inbox(inboxId), audience.ExceptConnectionId)));
        }
    }

    /// <summary>Starts a push to one group.</summary>
    public void PublishToGroup(string group, Func<IChatClient, Task> push)
    {
        lock (_starting) StartNew(clients => push(clients.Group(group)));
    }

    /// <summary>Starts the sends that failed again, in their original order.</summary>
    public void ResendFailed()
    {
        lock (_starting)
        {
            foreach (var failed in TakeFailed()) Start(failed);
        }
    }

    private void StartNew(Func<IHubClients<IChatClient>, Task> run) => Start(new Send(run) { Order = ++_order });

    private static IChatClient Group(IHubClients<IChatClient> clients, string group, string? except) =>
        except is null ? clients.Group(group) : clients.GroupExcept(group, except);

    private void Start(Send send)
    {
        Task task;
        try
        {
            task = send.Run(_hub.Clients);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }
        if (task.IsCompletedSuccessfully) return;
        Interlocked.Increment(ref _inFlight);
        task.ContinueWith(t =>
        {
            Interlocked.Decrement(ref _inFlight);
            if (t.IsFaulted) OnFailed(send, t.Exception!);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Pushes started and not sent yet, plus failed ones kept to send again (the push queue metric).</summary>
    public long QueuedPushes
    {
        get
        {
            lock (_failed) return Interlocked.Read(ref _inFlight) + _failed.Count;
        }
    }

    private void OnFailed(Send send, Exception error)
    {
        if (_backplane is null || ++send.Attempts >= MaxAttempts)
        {
            _logger.LogWarning(error, "Push failed");
            return;
        }
        _logger.LogDebug(error, "Push failed; it is sent again when the backplane is healthy");
        lock (_failed)
        {
            if (_failed.Count >= MaxFailedKept)
            {
                if (_droppedFailures++ % 10_000 == 0)
                    _logger.LogWarning("More than {Max} pushes failed while the backplane was away; the newest are not sent again", MaxFailedKept);
                return;
            }
            _failed[send.Order] = send;
        }
        // Failed although the backplane looks healthy (a timeout without an outage): no return of Redis will come
        // to send it again, so do it now.
        if (_backplane.IsHealthy) ResendFailed();
    }

    private List<Send> TakeFailed()
    {
        lock (_failed)
        {
            var failed = _failed.Values.ToList();
            _failed.Clear();
            return failed;
        }
    }

    /// <summary>One group send of a push; <see cref="Order"/> is its place among all sends of this node.</summary>
    private sealed class Send(Func<IHubClients<IChatClient>, Task> run)
    {
        public Func<IHubClients<IChatClient>, Task> Run { get; } = run;
        public long Order { get; set; }
        public int Attempts { get; set; }
    }
}
