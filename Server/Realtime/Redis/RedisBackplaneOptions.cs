namespace ChatHub.Server.Realtime.Redis;

/// <summary>The <c>Redis</c> configuration section. An empty <see cref="Configuration"/> means a single node.</summary>
public sealed class RedisBackplaneOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis:6379,password=...</c>.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Every channel of this deployment starts with it, so several deployments can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "chathub";

    /// <summary>How long a group change for a connection on another node waits for that node's acknowledgement.</summary>
    public int AckTimeoutSeconds { get; set; } = 10;

    /// <summary>How long a new connection waits for its Redis subscriptions before it is served anyway (a slow or
    /// unreachable Redis never holds a local connection up; the subscription completes in the background).</summary>
    public int SubscribeWaitSeconds { get; set; } = 5;

    /// <summary>Pushes waiting to be published; beyond it (Redis stalled) further pushes skip Redis and are
    /// dropped for other nodes, whose clients catch up by seq.</summary>
    public int MaxQueuedPublishes { get; set; } = 100_000;
}
