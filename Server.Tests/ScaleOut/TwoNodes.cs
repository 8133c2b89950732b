using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Two real ChatHub nodes (in-process Kestrel servers) sharing one SQLite file and one real redis-server,
/// under a channel prefix of their own, so tests in parallel never hear each other.</summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private ChatServer? _a;
    private ChatServer? _b;

    private readonly IReadOnlyDictionary<string, string?> _storage;

    private TwoNodes(RedisServer redis, string channelPrefix, IReadOnlyDictionary<string, string?>? storage)
    {
        Redis = redis;
        ChannelPrefix = channelPrefix;
        _storage = storage ?? new Dictionary<string, string?>();
    }

    public RedisServer Redis { get; }
    public string ChannelPrefix { get; }
    public ChatServer A => _a ?? throw new InvalidOperationException("node A is stopped");
    public ChatServer B => _b ?? throw new InvalidOperationException("node B is stopped");

    /// <summary>The relay between node A and Redis, when started with <c>proxyRedisOfA</c>: cutting or stalling it is
    /// an outage of node A's link alone, while node B keeps Redis.</summary>
    public TcpProxy? RedisLinkOfA { get; private set; }

    /// <param name="storage">Settings both nodes get on top (e.g. Storage:Provider=Postgres and one connection
    /// string, so that they share one PostgreSQL database instead of the SQLite file).</param>
    public static async Task<TwoNodes> StartAsync(bool proxyRedisOfA = false, IReadOnlyDictionary<string, string?>? storage = null)
    {
        var redis = await RedisServer.StartAsync();
        var nodes = new TwoNodes(redis, $"test-{Guid.NewGuid():N}", storage);
        try
        {
            var redisOfA = redis.Configuration;
            if (proxyRedisOfA)
            {
                nodes.RedisLinkOfA = TcpProxy.Start(new Uri($"http://127.0.0.1:{redis.Port}"));
                redisOfA = $"127.0.0.1:{nodes.RedisLinkOfA.Url.Port}";
            }
            nodes._a = await ChatServer.StartAsync(settings: nodes.Settings(redisOfA));
            nodes._b = await ChatServer.StartAsync(dbPath: nodes._a.DbPath, settings: nodes.Settings(redis.Configuration),
                agentToken: nodes._a.AgentToken, inboxIdentifier: nodes._a.InboxIdentifier, hmacToken: nodes._a.HmacToken);
            await nodes.WaitHealthyAsync(nodes._a);
            await nodes.WaitHealthyAsync(nodes._b);
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    private Dictionary<string, string?> Settings(string redisConfiguration)
    {
        var settings = new Dictionary<string, string?>(_storage)
        {
            ["Redis:Configuration"] = redisConfiguration,
            ["Redis:ChannelPrefix"] = ChannelPrefix,
        };
        return settings;
    }

    /// <summary>Stops node A the way the host stops it (its connections close; node B goes on).</summary>
    public async Task StopAAsync()
    {
        var a = _a;
        _a = null;
        if (a is not null) await a.DisposeAsync();
    }

    /// <summary>/healthz's "status" of a node.</summary>
    public static async Task<string> HealthOf(ChatServer node)
    {
        using var response = await node.Http.GetAsync("/healthz");
        response.EnsureSuccessStatusCode(); // degraded is still 200: the node serves its own connections
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("status").GetString()!;
    }

    public Task WaitHealthyAsync(ChatServer node) => WaitForHealth(node, "healthy");

    public static async Task WaitForHealth(ChatServer node, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string last;
        while ((last = await HealthOf(node)) != status)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"/healthz stayed '{last}', expected '{status}'");
            await Task.Delay(50);
        }
    }

    /// <summary>A node's hub context (what the EventPublisher pushes through).</summary>
    public static IHubContext<ChatHub> HubContext(ChatServer node) => node.App.Services.GetRequiredService<IHubContext<ChatHub>>();

    public async ValueTask DisposeAsync()
    {
        if (_b is not null) await _b.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (RedisLinkOfA is not null) await RedisLinkOfA.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
