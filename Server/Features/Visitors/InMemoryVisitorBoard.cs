using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Visitors;

/// <summary>The single node's visitors, in memory, by inbox: at most Visitors:MaxTracked records, each dropped
/// Visitors:VisitGap after it was last saved (swept when the board is full, and at most once a minute otherwise).</summary>
public sealed class InMemoryVisitorBoard(IOptions<VisitorOptions> options) : IVisitorBoard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Dictionary<string, VisitorRecord>> _byInbox = [];
    private readonly Dictionary<(long InboxId, string Id), (VisitorInvitation Invitation, long At)> _invitations = [];
    private int _count;
    private long _nextSweepAt;

    private long Gap => (long)options.Value.VisitGap.TotalMilliseconds;

    public Task<VisitorRecord?> GetAsync(long inboxId, string visitorId)
    {
        lock (_lock)
        {
            return Task.FromResult(_byInbox.GetValueOrDefault(inboxId)?.GetValueOrDefault(visitorId) is { } v && !Expired(v.LastSeenAt, Clock.NowMs())
                ? v.Copy()
                : null);
        }
    }

    public Task<bool> SaveAsync(VisitorRecord visitor)
    {
        var now = Clock.NowMs();
        lock (_lock)
        {
            var inbox = _byInbox.GetValueOrDefault(visitor.InboxId);
            var known = inbox?.ContainsKey(visitor.Id) == true;
            if (now >= _nextSweepAt || (!known && _count >= options.Value.MaxTracked)) Sweep(now);
            if (!known && _count >= options.Value.MaxTracked) return Task.FromResult(false);
            if (!_byInbox.TryGetValue(visitor.InboxId, out inbox)) _byInbox[visitor.InboxId] = inbox = [];
            if (!inbox.ContainsKey(visitor.Id)) _count++;
            inbox[visitor.Id] = visitor.Copy();
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<VisitorRecord>> SeenSinceAsync(long inboxId, long seenSinceMs, int max)
    {
        lock (_lock)
        {
            IReadOnlyList<VisitorRecord> seen = (_byInbox.GetValueOrDefault(inboxId)?.Values ?? Enumerable.Empty<VisitorRecord>())
                .Where(v => v.LastSeenAt >= seenSinceMs).OrderByDescending(v => v.LastSeenAt).Take(max).Select(v => v.Copy()).ToList();
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
            return Task.FromResult(_invitations.TryGetValue((inboxId, visitorId), out var i) && !Expired(i.At, Clock.NowMs()) ? i.Invitation : null);
        }
    }

    private bool Expired(long lastAt, long now) => now - lastAt > Gap;

    private void Sweep(long now)
    {
        foreach (var (inboxId, inbox) in _byInbox.ToList())
        {
            foreach (var (id, v) in inbox.ToList())
            {
                if (!Expired(v.LastSeenAt, now)) continue;
                inbox.Remove(id);
                _count--;
            }
            if (inbox.Count == 0) _byInbox.Remove(inboxId);
        }
        foreach (var (key, i) in _invitations.ToList()) if (Expired(i.At, now)) _invitations.Remove(key);
        _nextSweepAt = now + 60_000;
    }
}
