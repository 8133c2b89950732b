using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace ChatHub.Server.Transports.Hub.ScaleOut;

/// <summary>"Agent A joins inbox I" on every node. SignalR's Redis backplane can add a connection to a group on
/// whichever node has it, but not a user's connections, and an administrator's node does not know the connection ids
/// other nodes gave that agent. So the request goes to every node on a channel of ours; each node adds its own
/// connections of the agent (<see cref="AgentConnections.JoinHereAsync"/>: subscribed to the group's channel when it
/// returns) and acknowledges; the caller waits for as many acknowledgements as Redis counted receivers, so once the
/// administrator's request returns, the agent hears the inbox on every node.
/// <para>While Redis is away (or a node does not answer within <see cref="AckWait"/>) the change is stored
/// regardless, applied here, and sent to every node again when this node's Redis is back
/// (<see cref="SendUnconfirmedAgain"/>); a node that was cut off
/// itself also closes its connections then (<see cref="OutageRecovery"/>), and they reconnect into every inbox the
/// store says.</para></summary>
public sealed class RedisInboxJoins
{
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(5);
    private static readonly RedisChannel Requests = RedisChannel.Literal("chathub:inbox-joins");

    private readonly RedisBackplane _redis;
    private readonly ILogger<RedisInboxJoins> _logger;
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private readonly ConcurrentQueue<(long AgentId, long InboxId)> _unconfirmed = new();
    private Func<long, long, Task>? _joinHere;
    private int _lastId;

    public RedisInboxJoins(RedisBackplane redis, ILogger<RedisInboxJoins> logger)
    {
        _redis = redis;
        _logger = logger;
        var subscriber = redis.Multiplexer.GetSubscriber();
        // Kept by StackExchange.Redis and sent again after every reconnect, even if this first attempt fails.
        Observe(subscriber.SubscribeAsync(Requests, (channel, value) => _ = OnRequestAsync(value)));
        Observe(subscriber.SubscribeAsync(AcksOf(redis.NodeId), (_, value) =>
        {
            if (int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _pending.TryGetValue(id, out var pending))
                pending.Acknowledge();
        }));
    }

    /// <summary>Sends again the requests not every node confirmed (called when Redis is back).</summary>
    public void SendUnconfirmedAgain()
    {
        while (_unconfirmed.TryDequeue(out var join)) _ = JoinEverywhereAsync(join.AgentId, join.InboxId);
    }

    /// <summary>What this node does with a request (its own included): set by <see cref="AgentConnections"/>.
    /// Until then the node has no agent connection to add, and only acknowledges.</summary>
    public void HandleWith(Func<long, long, Task> joinHere) => _joinHere = joinHere;

    public async Task JoinEverywhereAsync(long agentId, long inboxId)
    {
        if (!_redis.IsHealthy)
        {
            _logger.LogWarning("Redis is away: agent {AgentId} joins inbox {InboxId} on this node now, on the others when Redis is back", agentId, inboxId);
            _unconfirmed.Enqueue((agentId, inboxId));
            await JoinHereAsync(agentId, inboxId);
            return;
        }
        var id = Interlocked.Increment(ref _lastId);
        var pending = new Pending();
        _pending[id] = pending;
        try
        {
            var receivers = await _redis.Multiplexer.GetSubscriber()
                .PublishAsync(Requests, string.Create(CultureInfo.InvariantCulture, $"{_redis.NodeId} {id} {agentId} {inboxId}"))
                .WaitAsync(AckWait);
            pending.Expect(receivers);
            await pending.Done.Task.WaitAsync(AckWait);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Not every node confirmed that agent {AgentId} joined inbox {InboxId}; asked again when Redis is back", agentId, inboxId);
            _unconfirmed.Enqueue((agentId, inboxId));
            await JoinHereAsync(agentId, inboxId); // at least here (joining twice changes nothing)
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task OnRequestAsync(RedisValue value)
    {
        var parts = value.ToString().Split(' ');
        if (parts.Length != 4 || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var agentId)
            || !long.TryParse(parts[3], CultureInfo.InvariantCulture, out var inboxId))
        {
            _logger.LogWarning("Ignored an inbox join request this node cannot read");
            return;
        }
        try
        {
            await JoinHereAsync(agentId, inboxId);
        }
        finally
        {
            try
            {
                await _redis.Multiplexer.GetSubscriber().PublishAsync(AcksOf(parts[0]), parts[1]);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _logger.LogWarning(ex, "An inbox join could not be acknowledged");
            }
        }
    }

    private async Task JoinHereAsync(long agentId, long inboxId)
    {
        try
        {
            if (_joinHere is { } join) await join(agentId, inboxId);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Agent {AgentId}'s connections here could not join inbox {InboxId}; they do when they reconnect", agentId, inboxId);
        }
    }

    private static RedisChannel AcksOf(string nodeId) => RedisChannel.Literal($"chathub:inbox-join-acks:{nodeId}");

    private void Observe(Task task) =>
        task.ContinueWith(t => _logger.LogDebug(t.Exception, "A Redis subscription is sent again when Redis reconnects"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>Acknowledgements of one request. How many to expect is known only once Redis answered the PUBLISH
    /// with its receiver count, and an acknowledgement may beat that answer, so they are counted from the start.</summary>
    private sealed class Pending
    {
        private readonly Lock _lock = new();
        private long _expected = -1;
        private long _received;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Expect(long receivers)
        {
            lock (_lock) _expected = receivers;
            CompleteIfDone();
        }

        public void Acknowledge()
        {
            lock (_lock) _received++;
            CompleteIfDone();
        }

        private void CompleteIfDone()
        {
            lock (_lock)
            {
                if (_expected >= 0 && _received >= _expected) Done.TrySetResult();
            }
        }
    }
}
