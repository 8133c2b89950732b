using System.Collections.Concurrent;
using System.Globalization;
using ChatHub.Server.Application.Connections;
using StackExchange.Redis;

namespace ChatHub.Server.ScaleOut;

/// <summary>"Check these connections again" on every node (<see cref="IClusterRechecks"/> behind Redis): an agent added
/// to or removed from an inbox, deactivated or given a new token, or an inbox turned HMAC-mandatory. A node knows only
/// its own connections (SignalR's backplane can add a connection to a group on whichever node has it, but not find a
/// user's connections), so the request goes to every node on a channel of ours; each node applies
/// <see cref="AccessRecheck.RecheckHereAsync"/> to its own connections (groups joined or left, revoked ones closed)
/// and acknowledges; the caller waits for as many acknowledgements as Redis counted receivers, so once the
/// administrator's request returns, it took effect on every node.
/// <para>While Redis is away (or a node does not answer within <see cref="AckWait"/>) the change is stored regardless,
/// applied here, and sent to every node again each time this node's backplane turns healthy again
/// (<see cref="SendUnconfirmedAgain"/>); a node that was cut off itself also closes its connections then (each channel
/// does, on <see cref="IBackplaneStatus.BecameHealthy"/>), and they are admitted again by what the store says.</para>
/// <para>A hosted service, so that it exists, its channels subscribed, from the start of the node.</para></summary>
public sealed class RedisRechecks : IClusterRechecks, IHostedService
{
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(5);
    /// <summary>How long a request waits for this node's backplane to turn healthy (a <c>reset-token</c> command line
    /// process has just connected) before it is applied here and kept for later.</summary>
    private static readonly TimeSpan HealthyWait = TimeSpan.FromSeconds(3);
    private static readonly RedisChannel Requests = RedisChannel.Literal("chathub:rechecks");

    private readonly RedisBackplane _redis;
    private readonly AccessRecheck _recheck;
    private readonly ILogger<RedisRechecks> _logger;
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private readonly ConcurrentQueue<AccessScope> _unconfirmed = new();
    private int _lastId;

    public RedisRechecks(RedisBackplane redis, AccessRecheck recheck, ILogger<RedisRechecks> logger)
    {
        _redis = redis;
        _recheck = recheck;
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

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _redis.BecameHealthy += SendUnconfirmedAgain;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _redis.BecameHealthy -= SendUnconfirmedAgain;
        return Task.CompletedTask;
    }

    /// <summary>Sends again the requests not every node confirmed (when Redis is back).</summary>
    public void SendUnconfirmedAgain()
    {
        while (_unconfirmed.TryDequeue(out var scope)) _ = RecheckEverywhereAsync(scope);
    }

    public async Task RecheckEverywhereAsync(AccessScope scope)
    {
        if (!await WaitHealthyAsync())
        {
            _logger.LogWarning("Redis is away: {Scope} is checked again on this node now, on the others when Redis is back", scope.ToWire());
            _unconfirmed.Enqueue(scope);
            await RecheckHereAsync(scope);
            return;
        }
        var id = Interlocked.Increment(ref _lastId);
        var pending = new Pending();
        _pending[id] = pending;
        try
        {
            var receivers = await _redis.Multiplexer.GetSubscriber()
                .PublishAsync(Requests, string.Create(CultureInfo.InvariantCulture, $"{_redis.NodeId} {id} {scope.ToWire()}"))
                .WaitAsync(AckWait);
            pending.Expect(receivers);
            await pending.Done.Task.WaitAsync(AckWait);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Not every node confirmed the recheck of {Scope}; asked again when Redis is back", scope.ToWire());
            _unconfirmed.Enqueue(scope);
            await RecheckHereAsync(scope); // at least here (a second recheck changes nothing)
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task<bool> WaitHealthyAsync()
    {
        var deadline = DateTime.UtcNow + HealthyWait;
        while (!_redis.IsHealthy)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    private async Task OnRequestAsync(RedisValue value)
    {
        var parts = value.ToString().Split(' ');
        if (parts.Length != 3 || AccessScope.FromWire(parts[2]) is not { } scope)
        {
            _logger.LogWarning("Ignored a recheck request this node cannot read");
            return;
        }
        try
        {
            await RecheckHereAsync(scope);
        }
        finally
        {
            try
            {
                await _redis.Multiplexer.GetSubscriber().PublishAsync(AcksOf(parts[0]), parts[1]);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _logger.LogWarning(ex, "A recheck could not be acknowledged");
            }
        }
    }

    private async Task RecheckHereAsync(AccessScope scope)
    {
        try
        {
            await _recheck.RecheckHereAsync(scope);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The connections of {Scope} on this node could not be checked again; they are when they reconnect", scope.ToWire());
        }
    }

    private static RedisChannel AcksOf(string nodeId) => RedisChannel.Literal($"chathub:recheck-acks:{nodeId}");

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
