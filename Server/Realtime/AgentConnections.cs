using System.Collections.Concurrent;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Realtime;

/// <summary>This node's live connections per agent, so that an agent added to an inbox starts receiving its
/// events without reconnecting. Behind a backplane (<see cref="IUserGroupManager"/>) the agent's connections on
/// every node join.</summary>
public sealed class AgentConnections(IHubContext<ChatHub, IChatClient> hub, HubLifetimeManager<ChatHub> lifetimeManager)
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, byte>> _byAgent = new();

    public void Add(long agentId, string connectionId) =>
        _byAgent.GetOrAdd(agentId, _ => new ConcurrentDictionary<string, byte>())[connectionId] = 0;

    public void Remove(long agentId, string connectionId)
    {
        if (_byAgent.TryGetValue(agentId, out var connections)) connections.TryRemove(connectionId, out _);
    }

    public async Task JoinInboxAsync(long agentId, long inboxId)
    {
        if (lifetimeManager is IUserGroupManager cluster)
        {
            await cluster.AddUserToGroupAsync(ChatUserIds.Agent(agentId), Groups.Inbox(inboxId));
            return;
        }
        if (!_byAgent.TryGetValue(agentId, out var connections)) return;
        foreach (var connectionId in connections.Keys)
            await hub.Groups.AddToGroupAsync(connectionId, Groups.Inbox(inboxId));
    }
}
