using ChatHub.Server.Application.Events;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Application.Presence;

/// <summary>This node's side of presence: counts the open connections of each agent here (told by the connection
/// admission, for every channel), keeps the <see cref="IPresenceBoard"/> in step (held while an agent has a connection
/// here, released with the grace when the last one closes, renewed by <see cref="PresenceSweep"/>), settles the board
/// and announces what the settlement reports: each change of an agent's effective availability as
/// <see cref="PresenceChanged"/>, each inbox that gained or lost its last online agent as
/// <see cref="InboxAvailabilityChanged"/>, through the <see cref="EventBus"/> like any committed change.</summary>
public sealed class PresenceTracker(IPresenceBoard board, IChatStore store, EventBus events, AgentPresence presence,
    IOptions<PresenceOptions> options, ILogger<PresenceTracker> logger)
{
    private readonly PresenceOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _connections = [];
    /// <summary>One sync at a time, so the board sees this node's holds and releases in the order they happened.</summary>
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private HashSet<long> _held = []; // under _oneAtATime: the agents this node holds on the board

    /// <summary>Agents with a connection on this node now.</summary>
    public IReadOnlyCollection<long> ConnectedHere
    {
        get { lock (_lock) return _connections.Keys.ToList(); }
    }

    /// <summary>An agent's connection was admitted here; their first one is on the board, and announced, before this
    /// returns (a console whose hub connection started shows its agent online), unless that takes longer than
    /// <see cref="MaxWaitAtOpen"/> (Redis slow): then it finishes in the background and the connection is not held up.</summary>
    public async Task OpenedAsync(long agentId)
    {
        lock (_lock)
        {
            var count = _connections.GetValueOrDefault(agentId) + 1;
            _connections[agentId] = count;
            if (count > 1) return;
        }
        try
        {
            await SyncAsync(renew: false).WaitAsync(MaxWaitAtOpen);
        }
        catch (TimeoutException)
        {
            logger.LogDebug("Presence of a new connection is announced late: the board is slow");
        }
    }

    /// <summary>Below the hub's join timeout (4 s behind Redis), so presence never makes a connection fail.</summary>
    public static readonly TimeSpan MaxWaitAtOpen = TimeSpan.FromSeconds(1);

    /// <summary>An agent's connection here ended; after their last one the grace begins.</summary>
    public void Closed(long agentId)
    {
        lock (_lock)
        {
            var count = _connections.GetValueOrDefault(agentId) - 1;
            if (count > 0)
            {
                _connections[agentId] = count;
                return;
            }
            _connections.Remove(agentId);
        }
        _ = SyncAsync(renew: false);
    }

    /// <summary>Brings the board in step with this node's connections (holding the agents who came, releasing those
    /// who left; with <paramref name="renew"/> renewing every hold), then settles it and announces the changes.
    /// Never throws: a failure is logged and the next sweep tries again.</summary>
    public async Task SyncAsync(bool renew)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            HashSet<long> now;
            lock (_lock) now = [.. _connections.Keys];
            var came = renew ? now : now.Where(a => !_held.Contains(a)).ToHashSet();
            var left = _held.Where(a => !now.Contains(a)).ToList();
            if (came.Count > 0) await board.HoldAsync(came, _options.NodeTimeout);
            if (left.Count > 0) await board.ReleaseAsync(left, _options.Grace);
            _held = now;
            await AnnounceAsync(await board.SettleAsync());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Presence could not be brought up to date; the next sweep tries again");
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task AnnounceAsync(PresenceSettlement settlement)
    {
        presence.Remember(settlement.Connected);
        if (!settlement.Changed) return;
        var changes = await store.ReadAsync(async reader =>
        {
            // Replayed one agent at a time from the state before the settlement, so each inbox's flag is compared with
            // what its contacts were last told.
            var connected = new HashSet<long>(settlement.Connected);
            connected.ExceptWith(settlement.Came);
            connected.UnionWith(settlement.Went);
            var raised = new List<ChatEvent>();
            foreach (var (agentId, nowConnected) in settlement.Went.Select(a => (a, false)).Concat(settlement.Came.Select(a => (a, true))))
            {
                if (nowConnected) connected.Add(agentId);
                else connected.Remove(agentId);
                if (await reader.GetAgentAsync(agentId) is not { } agent) continue;
                raised.AddRange(await AgentPresence.ChangesAsync(reader, agent,
                    AgentPresence.EffectiveOf(agent, !nowConnected), AgentPresence.EffectiveOf(agent, nowConnected), connected));
            }
            return raised;
        });
        if (changes.Count > 0) logger.LogDebug("Presence: {Came} connected, {Went} gone", settlement.Came.Count, settlement.Went.Count);
        events.Publish(changes);
    }
}
