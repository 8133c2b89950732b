using ChatHub.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatHub.Server.ScaleOut;

/// <summary>The <c>Redis</c> configuration section. An empty <see cref="Configuration"/> means a single node.</summary>
[SettingsSection("Redis")]
public sealed class ScaleOutOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis:6379,password=...</c>.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Every Redis channel of this deployment starts with <c>{ChannelPrefix}:</c>, so several deployments can
    /// share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "chathub";
}

/// <summary>This node's one connection to Redis (a StackExchange.Redis multiplexer), shared by SignalR's official
/// <c>RedisHubLifetimeManager</c> (handed over through <c>RedisOptions.ConnectionFactory</c>) and by ChatHub's own
/// uses of it (this health probe and <see cref="RedisRechecks"/>), and whether it works.
/// <para>The multiplexer never gives up: it starts with Redis down (abortConnect off), tries to connect again at every
/// heartbeat (every <see cref="Heartbeat"/>) and subscribes again by itself. <see cref="IsHealthy"/> is true only
/// while a probe published to this node's own channel keeps coming back through the subscription connection,
/// checked every second: a node is healthy when it can hear the other nodes, not merely when its socket is open; a
/// Redis that stops answering (frozen, or a network that drops packets) is noticed too. <see cref="BecameHealthy"/>
/// is raised each time it turns healthy, after StackExchange.Redis has sent all of its subscriptions again (a PING on
/// the subscription connection comes back after them), which is what the channels and <see cref="RedisRechecks"/> wait
/// for to make good what an outage cost.</para>
/// <para>Back quickly (docs/architecture.md, "Redis outages"): while unhealthy the probe runs every
/// <see cref="ProbeEveryWhileUnhealthy"/> (it costs nothing while the connection is down: no probe is sent), and at
/// once when StackExchange.Redis reports a connection restored (it raises that after sending the subscriptions
/// again, so the probe's PING still queues behind them). So a node typically accepts hub connections again within a
/// heartbeat, a connection handshake and a probe's round trip of Redis answering.</para></summary>
public sealed class RedisBackplane : IBackplaneStatus, IDisposable
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeEveryWhileUnhealthy = TimeSpan.FromMilliseconds(100);
    /// <summary>StackExchange.Redis's heartbeat (1 s by default): a lost connection is tried again at each one, so this
    /// bounds how long a node takes to reconnect after Redis is back. Each beat also checks timeouts and keep-alives
    /// of one server's two connections: cheap at 4 a second.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(250);
    /// <summary>Generous on purpose: a node that wrongly turns unhealthy refuses connections and, once healthy
    /// again, closes all of them so they resync.</summary>
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(5);

    private readonly ILogger<RedisBackplane> _logger;
    private readonly RedisChannel _probeChannel;
    private readonly CancellationTokenSource _disposed = new();
    /// <summary>Released to start a probe before the period is over (a connection was restored).</summary>
    private readonly SemaphoreSlim _probeNow = new(0, 1);
    private long _probesSent;
    private long _probeSeen;
    private int _failures;
    private volatile bool _healthy;

    public RedisBackplane(IOptions<ScaleOutOptions> options, ILogger<RedisBackplane> logger)
    {
        _logger = logger;
        NodeId = Guid.NewGuid().ToString("N")[..16];
        var configuration = ConfigurationOptions.Parse(options.Value.Configuration);
        configuration.AbortOnConnectFail = false; // start and serve REST without Redis; connect when it comes
        configuration.ChannelPrefix = RedisChannel.Literal(options.Value.ChannelPrefix + ":");
        configuration.HeartbeatInterval = Heartbeat;
        // A refused connection is tried again at every heartbeat whatever the policy; the policy only says when a
        // connection attempt still pending (a host that drops packets) is given up and started afresh, at a
        // heartbeat: after 1 s here, never backing off (the default backs off exponentially). Not shorter: a TLS
        // handshake to a distant Redis must have time to finish.
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        configuration.ClientName ??= $"chathub-{NodeId}";
        Multiplexer = ConnectionMultiplexer.Connect(configuration);
        Multiplexer.ConnectionFailed += (_, e) => OnFailed(e);
        Multiplexer.ConnectionRestored += (_, _) => ProbeNow();
        _probeChannel = RedisChannel.Literal($"chathub:probe:{NodeId}");
        // Kept by StackExchange.Redis and sent again after every reconnect, even if this first attempt fails.
        Observe(Multiplexer.GetSubscriber().SubscribeAsync(_probeChannel, (_, value) => InterlockedMax(ref _probeSeen, (long)value)));
        if (!Multiplexer.IsConnected) _logger.LogWarning("Redis is unreachable at start; this node refuses hub connections until it comes");
        _ = ProbeLoopAsync();
    }

    /// <summary>Unique per process start.</summary>
    public string NodeId { get; }

    public IConnectionMultiplexer Multiplexer { get; }

    public bool IsHealthy => _healthy;

    public event Action? BecameHealthy;

    private void OnFailed(ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _failures);
        if (!_healthy) return;
        _healthy = false;
        _logger.LogWarning("Redis connection lost ({ConnectionType}: {FailureType}); hub connections are refused until it is back", e.ConnectionType, e.FailureType);
    }

    private void ProbeNow()
    {
        try
        {
            if (_probeNow.CurrentCount == 0) _probeNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // released by another event in between: the probe is due already
        }
    }

    private async Task ProbeLoopAsync()
    {
        try
        {
            while (!_disposed.IsCancellationRequested)
            {
                var failures = Volatile.Read(ref _failures);
                var ok = Multiplexer.IsConnected && await ProbeAsync() && failures == Volatile.Read(ref _failures);
                if (ok != _healthy)
                {
                    _healthy = ok;
                    if (ok)
                    {
                        _logger.LogInformation("Redis backplane healthy");
                        RaiseBecameHealthy();
                    }
                    else
                    {
                        _logger.LogWarning("Redis does not answer the backplane probe; hub connections are refused until it does");
                    }
                }
                await _probeNow.WaitAsync(_healthy ? ProbeEvery : ProbeEveryWhileUnhealthy, _disposed.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A PING on the subscription connection (queued behind the subscriptions StackExchange.Redis sends
    /// again after a reconnect, so they are all in place when it answers), then a probe published on the interactive
    /// connection that must come back through the subscription.</summary>
    private async Task<bool> ProbeAsync()
    {
        var probe = Interlocked.Increment(ref _probesSent);
        try
        {
            var subscriber = Multiplexer.GetSubscriber();
            await subscriber.PingAsync().WaitAsync(ProbeWait, _disposed.Token);
            await subscriber.PublishAsync(_probeChannel, probe).WaitAsync(ProbeWait, _disposed.Token);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
        var deadline = DateTime.UtcNow + ProbeWait;
        while (Interlocked.Read(ref _probeSeen) < probe)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10, _disposed.Token);
        }
        return true;
    }

    private void RaiseBecameHealthy()
    {
        foreach (var handler in BecameHealthy?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A handler of the backplane's return failed");
            }
        }
    }

    private void Observe(Task task) =>
        task.ContinueWith(t => _logger.LogDebug(t.Exception, "A Redis subscription is sent again when Redis reconnects"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        Multiplexer.Dispose();
    }
}
