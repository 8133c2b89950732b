using System.Text.Json;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Visitors;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatHub.Server.ScaleOut;

/// <summary>The visitors every node sees (<see cref="IVisitorBoard"/> behind Redis): per visitor a JSON key
/// <c>{prefix}:visitor:{inboxId}:{id}</c> expiring Visitors:VisitGap after its last save, and its chat (if an agent
/// started one) in <c>{prefix}:visitor-chat:{inboxId}:{id}</c>, expiring alike; per inbox a sorted set
/// <c>{prefix}:visitors:{inboxId}</c> of ids scored by when they were last seen (the saving node's clock, in ms), pruned
/// of expired ones on each save and holding at most Visitors:MaxTracked ids.</summary>
public sealed class RedisVisitorBoard(RedisBackplane redis, IOptions<ScaleOutOptions> scaleOut, IOptions<VisitorOptions> options) : IVisitorBoard
{
    private readonly string _prefix = scaleOut.Value.ChannelPrefix;
    private IDatabase Db => redis.Multiplexer.GetDatabase();
    private TimeSpan Gap => options.Value.VisitGap;

    private RedisKey Record(long inboxId, string id) => $"{_prefix}:visitor:{inboxId}:{id}";
    private RedisKey Chat(long inboxId, string id) => $"{_prefix}:visitor-chat:{inboxId}:{id}";
    private RedisKey Index(long inboxId) => $"{_prefix}:visitors:{inboxId}";

    public async Task<VisitorRecord?> GetAsync(long inboxId, string visitorId) =>
        Parse<VisitorRecord>(await Db.StringGetAsync(Record(inboxId, visitorId)));

    public async Task<bool> SaveAsync(VisitorRecord visitor)
    {
        var db = Db;
        var index = Index(visitor.InboxId);
        await db.SortedSetRemoveRangeByScoreAsync(index, double.NegativeInfinity, Clock.NowMs() - Gap.TotalMilliseconds);
        if (await db.SortedSetScoreAsync(index, visitor.Id) is null && await db.SortedSetLengthAsync(index) >= options.Value.MaxTracked) return false;
        var batch = db.CreateBatch();
        var saved = batch.StringSetAsync(Record(visitor.InboxId, visitor.Id), JsonSerializer.Serialize(visitor), Gap);
        var indexed = batch.SortedSetAddAsync(index, visitor.Id, visitor.LastSeenAt);
        var kept = batch.KeyExpireAsync(index, Gap);
        batch.Execute();
        await Task.WhenAll(saved, indexed, kept);
        return true;
    }

    public async Task<IReadOnlyList<VisitorRecord>> SeenSinceAsync(long inboxId, long seenSinceMs, int max)
    {
        var db = Db;
        var ids = await db.SortedSetRangeByScoreAsync(Index(inboxId), seenSinceMs, double.PositiveInfinity, order: Order.Descending, take: max);
        if (ids.Length == 0) return [];
        var values = await db.StringGetAsync(ids.Select(id => Record(inboxId, id.ToString())).ToArray());
        return values.Select(Parse<VisitorRecord>).OfType<VisitorRecord>().Where(v => v.LastSeenAt >= seenSinceMs).ToList();
    }

    public Task SetInvitationAsync(long inboxId, string visitorId, VisitorInvitation invitation) =>
        Db.StringSetAsync(Chat(inboxId, visitorId), JsonSerializer.Serialize(invitation), Gap);

    public async Task<VisitorInvitation?> GetInvitationAsync(long inboxId, string visitorId) =>
        Parse<VisitorInvitation>(await Db.StringGetAsync(Chat(inboxId, visitorId)));

    private static T? Parse<T>(RedisValue value) where T : class => value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<T>(value.ToString());
}
