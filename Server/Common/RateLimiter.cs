using System.Collections.Concurrent;
using ChatHub.Contracts;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Common;

/// <summary>Per-sender sliding window on message sends (API.md "Limits"). In memory, per node.</summary>
public sealed class SendRateLimiter(IOptionsMonitor<ChatLimits> limits)
{
    private readonly ConcurrentDictionary<string, Queue<long>> _windows = new();

    public void Check(string senderKey)
    {
        var current = limits.CurrentValue;
        if (current.MessagesPerWindow <= 0) return;
        var now = Environment.TickCount64;
        var windowMs = current.WindowSeconds * 1000L;
        var sends = _windows.GetOrAdd(senderKey, _ => new Queue<long>());
        lock (sends)
        {
            while (sends.Count > 0 && now - sends.Peek() >= windowMs) sends.Dequeue();
            if (sends.Count >= current.MessagesPerWindow)
            {
                var retryAfter = TimeSpan.FromMilliseconds(windowMs - (now - sends.Peek()));
                throw new ChatException(ErrorCodes.RateLimited,
                    $"more than {current.MessagesPerWindow} messages in {current.WindowSeconds} s; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s")
                { RetryAfter = retryAfter };
            }
            sends.Enqueue(now);
        }
    }
}
