using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>This node's connection to Redis, and whether it works. The multiplexer never gives up: it starts even
/// when Redis is down (AbortOnConnectFail = false), reconnects by itself and sends its subscriptions again.
/// <see cref="IsHealthy"/> is true once a probe published to this node's own probe channel came back over the
/// subscription connection, so a node reports healthy only when it can hear other nodes again, not merely when
/// its socket is open.</summary>
public sealed class RedisConnection : IDisposable
{
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(2);
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly ILogger<RedisConnection> _logger;
    private readonly string _probeChannel;
    private readonly CancellationTokenSource _disposed = new();
    private long _probesSent;
    private long _probeSeen;
    private volatile bool _verified;
    private int _verifying;
    private int _failures;

    public RedisConnection(IOptions<RedisBackplaneOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        NodeId = Guid.NewGuid().ToString("N")[..16];
        _probeChannel = $"{options.Value.ChannelPrefix}:probe:{NodeId}";
        var configuration = ConfigurationOptions.Parse(options.Value.Configuration);
        configuration.AbortOnConnectFail = false; // serve local connections without Redis; connect when it comes
        configuration.ClientName ??= $"chathub-{NodeId}";
        _multiplexer = ConnectionMultiplexer.Connect(configuration);
        _multiplexer.ConnectionFailed += (_, e) => OnFailed(e);
        _multiplexer.ConnectionRestored += (_, e) => OnRestored(e);
        Subscriber = _multiplexer.GetSubscriber();
        Subscriber.Subscribe(_probeChannel, (_, value) => InterlockedMax(ref _probeSeen, (long)value));
        if (!_multiplexer.IsConnected) _logger.LogWarning("Redis is unreachable at start; this node serves its own connections and keeps trying");
        _ = VerifyAsync();
    }

    /// <summary>Unique per process start: the sender of this node's backplane messages.</summary>
    public string NodeId { get; }

    public ISubscriber Subscriber { get; }

    /// <summary>The socket to Redis is up (publishing can go ahead).</summary>
    public bool IsConnected => _multiplexer.IsConnected;

    /// <summary>Connected, and a probe made the round trip through pub/sub since the last failure.</summary>
    public bool IsHealthy => _verified && _multiplexer.IsConnected;

    private void OnFailed(ConnectionFailedEventArgs e)
    {
        if (_verified) _logger.LogWarning("Redis connection lost ({ConnectionType}: {FailureType}); this node keeps serving its own connections and reconnects by itself", e.ConnectionType, e.FailureType);
        Interlocked.Increment(ref _failures);
        _verified = false;
        _ = VerifyAsync();
    }

    private void OnRestored(ConnectionFailedEventArgs e)
    {
        _logger.LogInformation("Redis connection restored ({ConnectionType})", e.ConnectionType);
        _ = VerifyAsync();
    }

    /// <summary>Probes until one comes back with no failure in between (one loop at a time).</summary>
    private async Task VerifyAsync()
    {
        if (Interlocked.Exchange(ref _verifying, 1) == 1) return;
        try
        {
            while (!_disposed.IsCancellationRequested)
            {
                var failures = Volatile.Read(ref _failures);
                if (_multiplexer.IsConnected && await ProbeAsync() && failures == Volatile.Read(ref _failures))
                {
                    if (!_verified) _logger.LogInformation("Redis backplane healthy");
                    _verified = true;
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250), _disposed.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref _verifying, 0);
        }
        // A failure that came while this loop was finishing found it still running: probe again for it.
        if (!_verified && !_disposed.IsCancellationRequested) _ = VerifyAsync();
    }

    private async Task<bool> ProbeAsync()
    {
        var probe = Interlocked.Increment(ref _probesSent);
        try
        {
            await Subscriber.PublishAsync(_probeChannel, probe);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
        var deadline = DateTime.UtcNow + ProbeWait;
        while (DateTime.UtcNow < deadline)
        {
            if (Interlocked.Read(ref _probeSeen) >= probe) return true;
            await Task.Delay(10, _disposed.Token);
        }
        return false;
    }

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
        _multiplexer.Dispose();
    }
}
