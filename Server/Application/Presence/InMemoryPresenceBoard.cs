namespace ChatHub.Server.Application.Presence;

/// <summary>The presence board of a single node: its memory is the only place presence lives, and it dies with it (a
/// restarted node starts with nobody connected).</summary>
public sealed class InMemoryPresenceBoard : IPresenceBoard
{
    private readonly TimeProvider clock = TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, DateTimeOffset> _holds = [];
    private readonly HashSet<long> _announced = [];

    public Task HoldAsync(IReadOnlyCollection<long> agentIds, TimeSpan ttl) => Set(agentIds, ttl);

    public Task ReleaseAsync(IReadOnlyCollection<long> agentIds, TimeSpan grace) => Set(agentIds, grace);

    public Task<PresenceSettlement> SettleAsync()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var expired in _holds.Where(h => h.Value <= now).Select(h => h.Key).ToList()) _holds.Remove(expired);
            var went = _announced.Where(a => !_holds.ContainsKey(a)).ToList();
            var came = _holds.Keys.Where(a => !_announced.Contains(a)).ToList();
            _announced.ExceptWith(went);
            _announced.UnionWith(came);
            return Task.FromResult(new PresenceSettlement(came, went, new HashSet<long>(_announced)));
        }
    }

    private Task Set(IReadOnlyCollection<long> agentIds, TimeSpan lasting)
    {
        var until = clock.GetUtcNow() + lasting;
        lock (_lock)
            foreach (var id in agentIds) _holds[id] = until;
        return Task.CompletedTask;
    }
}
