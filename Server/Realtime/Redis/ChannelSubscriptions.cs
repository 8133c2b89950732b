using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>Redis subscriptions counted by local interest: the first local member of a group (or connection of a
/// user) subscribes its channel, the last one leaving unsubscribes it, so a node only hears what it can deliver.
/// Changes are serialised so a quick leave-and-join never ends unsubscribed. While Redis is away, StackExchange.Redis
/// keeps the subscriptions and sends them again once it is back.</summary>
public sealed class ChannelSubscriptions(RedisConnection redis, ILogger logger)
{
    // Changed only under _gate; concurrent so CountOf can read it without waiting for a subscription in flight.
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task AddAsync(string channel, Action<RedisChannel, RedisValue> handler)
    {
        await _gate.WaitAsync();
        try
        {
            _counts.TryGetValue(channel, out var count);
            _counts[channel] = count + 1;
            if (count == 0) await redis.Subscriber.SubscribeAsync(channel, handler);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Subscribing to a Redis channel failed; it is retried when Redis reconnects");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(string channel)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_counts.TryGetValue(channel, out var count)) return;
            if (count > 1)
            {
                _counts[channel] = count - 1;
                return;
            }
            _counts.TryRemove(channel, out _);
            await redis.Subscriber.UnsubscribeAsync(channel);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Unsubscribing from a Redis channel failed");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How many local members hold <paramref name="channel"/> (0: not subscribed).</summary>
    public int CountOf(string channel) => _counts.GetValueOrDefault(channel);
}
