using System.Globalization;
using ChatHub.Server.Application.Presence;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatHub.Server.ScaleOut;

/// <summary>The presence board every node shares (<see cref="IPresenceBoard"/> behind Redis), in two keys:
/// <list type="bullet">
/// <item><c>{prefix}:presence:holds</c>, a sorted set of <c>{agentId}:{nodeId}</c>, each scored with the Redis time
/// (ms) at which it expires: a node renews its agents' holds every third of Presence:NodeTimeout, and on an agent's
/// last connection there sets it to expire after Presence:Grace. A killed node renews nothing, so its holds expire
/// by themselves.</item>
/// <item><c>{prefix}:presence:connected</c>, a set of the agent ids announced as connected.</item>
/// </list>
/// Every script reads the time from Redis (<c>TIME</c>), so the nodes' clocks never matter, and the settlement is one
/// script: expired holds removed, the live agents compared with the announced set and the set updated, atomically, so
/// each change is reported to the one node that made it.</summary>
public sealed class RedisPresenceBoard(RedisBackplane redis, IOptions<ScaleOutOptions> options) : IPresenceBoard
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    /// <summary>KEYS[1] holds; ARGV[1] ms to last, ARGV[2] node id, ARGV[3..] agent ids.</summary>
    private static readonly string HoldScript = Now + """
        for i = 3, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i] .. ':' .. ARGV[2]) end
        return now
        """;

    /// <summary>KEYS[1] holds, KEYS[2] announced; returns {came, went, connected}.</summary>
    private static readonly string SettleScript = Now + """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local live = {}
        for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local agent = string.match(member, '^(%d+):')
          if agent then live[agent] = true end
        end
        local went = {}
        for _, agent in ipairs(redis.call('SMEMBERS', KEYS[2])) do
          if not live[agent] then
            redis.call('SREM', KEYS[2], agent)
            table.insert(went, agent)
          end
        end
        local came, connected = {}, {}
        for agent in pairs(live) do
          table.insert(connected, agent)
          if redis.call('SADD', KEYS[2], agent) == 1 then table.insert(came, agent) end
        end
        return {came, went, connected}
        """;

    private readonly RedisKey _holds = options.Value.ChannelPrefix + ":presence:holds";
    private readonly RedisKey _announced = options.Value.ChannelPrefix + ":presence:connected";

    private IDatabase Db => redis.Multiplexer.GetDatabase();

    public Task HoldAsync(IReadOnlyCollection<long> agentIds, TimeSpan ttl) => SetAsync(agentIds, ttl);

    public Task ReleaseAsync(IReadOnlyCollection<long> agentIds, TimeSpan grace) => SetAsync(agentIds, grace);

    public async Task<PresenceSettlement> SettleAsync()
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(SettleScript, [_holds, _announced]))!;
        return new PresenceSettlement(Ids(result[0]), Ids(result[1]), Ids(result[2]).ToHashSet());
    }

    private Task SetAsync(IReadOnlyCollection<long> agentIds, TimeSpan lasting)
    {
        var args = new List<RedisValue> { (long)lasting.TotalMilliseconds, redis.NodeId };
        args.AddRange(agentIds.Select(id => (RedisValue)id));
        return Db.ScriptEvaluateAsync(HoldScript, [_holds], [.. args]);
    }

    private static List<long> Ids(RedisResult result) =>
        ((RedisResult[])result!).Select(r => long.Parse(r.ToString(), CultureInfo.InvariantCulture)).ToList();
}
