using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>Publishes to Redis in the order messages were handed over, from one background loop, so a caller (the
/// EventPublisher, a hub call) never waits on Redis. While Redis is unreachable, or the queue is full, messages are
/// dropped with a warning: pushes for other nodes are lost then, and their clients catch up by seq (a gap on the
/// next push, or their reconnect).</summary>
public sealed class RedisOutbox : IDisposable
{
    private readonly RedisConnection _redis;
    private readonly ILogger<RedisOutbox> _logger;
    private readonly Channel<Outgoing> _queue;
    private readonly Task _loop;
    private long _dropped;
    private long _reported; // drops already reported as ended

    public RedisOutbox(RedisConnection redis, IOptions<RedisBackplaneOptions> options, ILogger<RedisOutbox> logger)
    {
        _redis = redis;
        _logger = logger;
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(Math.Max(1, options.Value.MaxQueuedPublishes))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the message is counted as dropped
        });
        _loop = Task.Run(PublishLoopAsync);
    }

    /// <summary>Messages dropped so far (Redis away or queue full).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a message; returns at once.</summary>
    public void Enqueue(string channel, byte[] payload)
    {
        if (!_queue.Writer.TryWrite(new Outgoing(channel, payload, null))) Drop("the publish queue is full");
    }

    /// <summary>Queues a message and completes with the number of nodes that received it; fails with
    /// <see cref="BackplaneUnavailableException"/> while Redis is unreachable.</summary>
    public Task<long> PublishAsync(string channel, byte[] payload)
    {
        var receivers = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Outgoing(channel, payload, receivers)))
            receivers.TrySetException(new BackplaneUnavailableException("the Redis publish queue is full"));
        return receivers.Task;
    }

    private async Task PublishLoopAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync())
        {
            if (!_redis.IsConnected)
            {
                Drop("Redis is unreachable");
                message.Receivers?.TrySetException(new BackplaneUnavailableException("Redis is unreachable"));
                continue;
            }
            ReportDropsEnded();
            try
            {
                // Issued one after another on one connection, so Redis sees them in this order; not awaited one by
                // one, so a round trip is not paid per message.
                if (message.Receivers is null)
                {
                    _ = _redis.Subscriber.PublishAsync(message.Channel, message.Payload, CommandFlags.FireAndForget);
                }
                else
                {
                    var receivers = message.Receivers;
                    _ = _redis.Subscriber.PublishAsync(message.Channel, message.Payload).ContinueWith(t =>
                    {
                        if (t.IsCompletedSuccessfully) receivers.TrySetResult(t.Result);
                        else receivers.TrySetException(new BackplaneUnavailableException("publishing to Redis failed", t.Exception));
                    }, TaskScheduler.Default);
                }
            }
            catch (Exception ex)
            {
                Drop(ex.Message);
                message.Receivers?.TrySetException(new BackplaneUnavailableException("publishing to Redis failed", ex));
            }
        }
    }

    private void Drop(string why)
    {
        if (Interlocked.Increment(ref _dropped) == Interlocked.Read(ref _reported) + 1)
            _logger.LogWarning("Pushes for other nodes are being dropped ({Why}); their clients catch up by seq", why);
    }

    private void ReportDropsEnded()
    {
        var dropped = Interlocked.Read(ref _dropped);
        var reported = Interlocked.Read(ref _reported);
        if (dropped == reported) return;
        Interlocked.Exchange(ref _reported, dropped);
        _logger.LogInformation("Publishing to Redis again; {Count} pushes for other nodes were dropped meanwhile", dropped - reported);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        // Whatever is queued goes out if Redis is there; a stuck Redis does not hold the shutdown up.
        _loop.Wait(TimeSpan.FromSeconds(2));
    }

    private sealed record Outgoing(RedisChannel Channel, byte[] Payload, TaskCompletionSource<long>? Receivers);
}

/// <summary>Redis cannot be reached, so a message for other nodes could not be published.</summary>
public sealed class BackplaneUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
