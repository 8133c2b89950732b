using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Pushes <c>presence.update</c> to /cable subscriptions when what it says changes, not only on subscribe and
/// <c>update_presence</c> (Chatwoot's only two: its clients ask every 20 s, so a list could be that old): an agent's effective
/// availability changed (<see cref="PresenceChanged"/>: connected, grace over, node died, another one chosen), or an
/// inbox's agents changed (<see cref="InboxMembersAdded"/>, <see cref="InboxMembersRemoved"/>). The agents' stream gets
/// the account's list, each affected inbox's contacts' stream its inbox's list (<see cref="RoomChannel"/>'s messages).
/// The message is the whole list as it is now, read after the change, not the change itself: so changes are drained
/// one batch at a time in the background (a burst of them is one read and one broadcast per stream, and a later
/// broadcast never says something older than an earlier one); the committing thread only notes what changed.</summary>
public sealed class CablePresence(IChatStore store, AgentPresence presence, HubLifetimeManager<CableHub> cable, ILogger<CablePresence> logger)
{
    private readonly Lock _lock = new();
    private HashSet<long> _agents = []; // agents whose availability changed: the agents' stream and their inboxes
    private HashSet<long> _inboxes = []; // inboxes whose members changed
    private bool _draining;

    /// <summary>Notes what an event changes of presence; never blocks, never throws.</summary>
    public void Publish(ChatEvent change)
    {
        lock (_lock)
        {
            switch (change)
            {
                case PresenceChanged e: _agents.Add(e.AgentId); break;
                case InboxMembersAdded e: _inboxes.Add(e.InboxId); break;
                case InboxMembersRemoved e: _inboxes.Add(e.InboxId); break;
                default: return;
            }
            if (_draining) return;
            _draining = true;
        }
        _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            HashSet<long> agents, inboxes;
            lock (_lock)
            {
                if (_agents.Count == 0 && _inboxes.Count == 0)
                {
                    _draining = false;
                    return;
                }
                (agents, inboxes) = (_agents, _inboxes);
                (_agents, _inboxes) = ([], []);
            }
            try { await BroadcastAsync(agents, inboxes); }
            catch (Exception ex) { logger.LogWarning(ex, "A /cable presence.update could not be sent"); }
        }
    }

    private async Task BroadcastAsync(HashSet<long> agents, HashSet<long> inboxes)
    {
        var connected = presence.Connected;
        var messages = await store.ReadAsync(async reader =>
        {
            var list = new List<(string Stream, string Message)>();
            if (agents.Count > 0) list.Add((Streams.Agents, await RoomChannel.AgentsPresenceAsync(reader, connected)));
            foreach (var agentId in agents) inboxes.UnionWith(await reader.InboxIdsOfAgentAsync(agentId));
            foreach (var inboxId in inboxes)
                list.Add((Streams.InboxContacts(inboxId), await RoomChannel.InboxPresenceAsync(reader, inboxId, connected)));
            return list;
        });
        foreach (var (stream, message) in messages)
            await cable.SendGroupAsync(stream, CableWireProtocol.Target, [stream, CableWireProtocol.Except(null), message]);
    }
}
