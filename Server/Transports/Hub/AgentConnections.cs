using System.Collections.Concurrent;
using ChatHub.Contracts;
using ChatHub.Server.Transports.Hub.ScaleOut;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Transports.Hub;

/// <summary>This node's live connections per agent, so that an agent added to an inbox starts receiving its
/// events without reconnecting. Behind Redis, <see cref="RedisInboxJoins"/> asks every node to do the same with its
/// own connections of that agent (SignalR's backplane has no "add a user to a group").</summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, byte>> _byAgent = new();
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly RedisInboxJoins? _cluster;

    public AgentConnections(IHubContext<ChatHub, IChatClient> hub, RedisInboxJoins? cluster = null)
    {
        _hub = hub;
        _cluster = cluster;
        cluster?.HandleWith(JoinHereAsync);
    }

    public void Add(long agentId, string connectionId) =>
        _byAgent.GetOrAdd(agentId, _ => new ConcurrentDictionary<string, byte>())[connectionId] = 0;

    public void Remove(long agentId, string connectionId)
    {
        if (_byAgent.TryGetValue(agentId, out var connections)) connections.TryRemove(connectionId, out _);
    }

    /// <summary>Completes once the agent's connections on every node are in the inbox's group.</summary>
    public Task JoinInboxAsync(long agentId, long inboxId) =>
        _cluster is { } cluster ? cluster.JoinEverywhereAsync(agentId, inboxId) : JoinHereAsync(agentId, inboxId);

    /// <summary>The agent's connections on this node join the inbox's group.</summary>
    public async Task JoinHereAsync(long agentId, long inboxId)
    {
        if (!_byAgent.TryGetValue(agentId, out var connections)) return;
        foreach (var connectionId in connections.Keys)
            await _hub.Groups.AddToGroupAsync(connectionId, Groups.Inbox(inboxId));
    }
}
