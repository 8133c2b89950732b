using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Visitors;

/// <summary>The single node's visitors, in memory: at most Visitors:MaxTracked records, each dropped Visitors:VisitGap
/// after it was last saved (swept when the board is full, and every minute's worth of saves).</summary>
public sealed class InMemoryVisitorBoard(IOptions<VisitorOptions> options) : IVisitorBoard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(long InboxId, string Id), VisitorRecord> _visitors = [];
    private readonly Dictionary<(long InboxId, string Id), (VisitorInvitation Invitation, long At)> _invitations = [];
    private long _nextSweepAt;

    public Task<VisitorRecord?> GetAsync(long inboxId, string visitorId)
    {
        lock (_lock)
        {
            return Task.FromResult(_visitors.TryGetValue((inboxId, visitorId), out var v) && !Expired(v, Clock.NowMs()) ? v.Copy() : null);
        }
    }

    public Task<bool> SaveAsync(VisitorRecord visitor)
    {
        var now = Clock.NowMs();
        var key = (visitor.InboxId, visitor.Id);
        lock (_lock)
        {
            if (now >= _nextSweepAt || (_visitors.Count >= options.Value.MaxTracked && !_visitors.ContainsKey(key))) Sweep(now);
            if (_visitors.Count >= options.Value.MaxTracked && !_visitors.ContainsKey(key)) return Task.FromResult(false);
            _visitors[key] = visitor.Copy();
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<VisitorRecord>> SeenSinceAsync(long inboxId, long seenSinceMs, int max)
    {
        lock (_lock)
        {
            IReadOnlyList<VisitorRecord> seen = _visitors.Values.Where(v => v.InboxId == inboxId && v.LastSeenAt >= seenSinceMs)
                .OrderByDescending(v => v.LastSeenAt).Take(max).Select(v => v.Copy()).ToList();
            return Task.FromResult(seen);
        }
    }

    public Task SetInvitationAsync(long inboxId, string visitorId, VisitorInvitation invitation)
    {
        lock (_lock) _invitations[(inboxId, visitorId)] = (invitation, Clock.NowMs());
        return Task.CompletedTask;
    }

    public Task<VisitorInvitation?> GetInvitationAsync(long inboxId, string visitorId)
    {
        lock (_lock)
        {
            return Task.FromResult(_invitations.TryGetValue((inboxId, visitorId), out var i)
                && Clock.NowMs() - i.At <= options.Value.VisitGap.TotalMilliseconds ? i.Invitation : null);
        }
    }

    private bool Expired(VisitorRecord v, long now) => now - v.LastSeenAt > options.Value.VisitGap.TotalMilliseconds;

    private void Sweep(long now)
    {
        foreach (var (key, v) in _visitors.ToList()) if (Expired(v, now)) _visitors.Remove(key);
        foreach (var (key, i) in _invitations.ToList()) if (now - i.At > options.Value.VisitGap.TotalMilliseconds) _invitations.Remove(key);
        _nextSweepAt = now + 60_000;
    }
}
