using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Presence;

/// <summary>The one rule of an agent's availability as everyone else sees it, and the reads that apply it. An agent
/// is <em>connected</em> while at least one of their hub, console or /cable connections is open on any node (and a
/// grace after the last one closed: <see cref="PresenceOptions.Grace"/>); their <em>chosen</em> availability (online,
/// busy, offline: the stored <see cref="AgentRow.Availability"/>, Chatwoot's <c>availability</c>) applies on top, as
/// Chatwoot's <c>auto_offline</c> (always on here): not connected, or deactivated, is offline whatever was chosen.
/// The public inbox's <c>online</c>, the agent lists and profiles (REST, Chatwoot's <c>availability_status</c>), /cable's
/// <c>presence.update</c> and the pushes all come from here.</summary>
/// <para>Reads use <see cref="Connected"/>, this node's copy of the board's last settlement (no Redis round trip in a
/// request, nor in a write transaction): the node that settled a change has it at once, the others at their next sweep
/// (<see cref="PresenceOptions.SweepInterval"/>, at most 1 s).</para>
public sealed class AgentPresence
{
    private volatile IReadOnlySet<long> _connected = new HashSet<long>();

    /// <summary>The effective availability: the chosen one while connected and active, otherwise offline.</summary>
    public static string EffectiveOf(AgentRow agent, bool connected) =>
        connected && agent.DeactivatedAt is null && Availabilities.All.Contains(agent.Availability) ? agent.Availability : Availabilities.Offline;

    public static string EffectiveOf(AgentRow agent, IReadOnlySet<long> connected) => EffectiveOf(agent, connected.Contains(agent.Id));

    /// <summary>The agents connected now (on any node), as of this node's last settlement of the board. While the board
    /// cannot be reached (Redis away) it stays as it was: presence then lags, nothing fails.</summary>
    public IReadOnlySet<long> Connected => _connected;

    internal void Remember(IReadOnlySet<long> connected) => _connected = connected;

    /// <summary>Whether an agent of the inbox is online now (the widget's "We're online"); busy does not count.</summary>
    public static async ValueTask<bool> InboxOnlineAsync(IStoreReader reader, long inboxId, IReadOnlySet<long> connected)
    {
        foreach (var agentId in await reader.MembersOfAsync(inboxId))
            if (await reader.GetAgentAsync(agentId) is { } agent && EffectiveOf(agent, connected) == Availabilities.Online) return true;
        return false;
    }

    /// <summary>What one agent's effective availability going from <paramref name="before"/> to <paramref name="after"/>
    /// raises: <see cref="PresenceChanged"/> for the agents, and for each of the agent's inboxes whose "someone is online"
    /// flipped, <see cref="InboxAvailabilityChanged"/> for its contacts. <paramref name="others"/> says who else is
    /// connected at that moment.</summary>
    public static async ValueTask<IReadOnlyList<ChatEvent>> ChangesAsync(IStoreReader reader, AgentRow agent, string before, string after,
        IReadOnlySet<long> others, bool always = false)
    {
        var changes = new List<ChatEvent>();
        if (before == after && !always) return changes;
        changes.Add(new PresenceChanged(agent.Id, after, agent.Availability));
        if ((before == Availabilities.Online) == (after == Availabilities.Online)) return changes;
        foreach (var inboxId in await reader.InboxIdsOfAgentAsync(agent.Id))
        {
            if (await OthersOnlineAsync(reader, inboxId, agent.Id, others)) continue; // the inbox was online and stays so
            changes.Add(new InboxAvailabilityChanged(inboxId, after == Availabilities.Online));
        }
        return changes;
    }

    private static async ValueTask<bool> OthersOnlineAsync(IStoreReader reader, long inboxId, long except, IReadOnlySet<long> connected)
    {
        foreach (var agentId in await reader.MembersOfAsync(inboxId))
            if (agentId != except && await reader.GetAgentAsync(agentId) is { } agent && EffectiveOf(agent, connected) == Availabilities.Online)
                return true;
        return false;
    }
}
