using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Assignment;

/// <summary>Chatwoot's auto-assignment (an inbox's enable_auto_assignment): a new conversation of such an inbox goes to
/// one of the inbox's online members (connected, with online chosen: <see cref="AgentPresence"/>) who has fewer open conversations of the inbox than
/// its max_assignment_limit (no limit when none). Round robin kept in the store, so it holds with several nodes: the
/// member with the fewest open conversations of the inbox, then the one whose newest of them is oldest (none first),
/// then the lowest id. The inbox is held for the transaction (<see cref="IStoreTransaction.GetInboxForUpdateAsync"/>),
/// so assignments in one inbox are made one at a time, each seeing the loads the one before left. No one fits: the
/// conversation stays unassigned.</summary>
public sealed class AutoAssignment(AgentPresence presence)
{
    /// <summary>The agent a new conversation of <paramref name="inboxId"/> goes to, or null.</summary>
    public async ValueTask<AgentRow?> PickAsync(IStoreTransaction store, long inboxId)
    {
        var inbox = await store.GetInboxAsync(inboxId);
        if (inbox is not { EnableAutoAssignment: true }) return null;
        await store.GetInboxForUpdateAsync(inboxId);
        return await ChooseAsync(store, inbox, presence.Connected);
    }

    /// <summary>The choice itself, on any snapshot: in a write it is the assignment; on a read it is the widget's guess of
    /// who will answer (PredictedAgent, issue 27), which the next assignment makes unless loads change first.</summary>
    public static async ValueTask<AgentRow?> ChooseAsync(IStoreReader store, InboxRow inbox, IReadOnlySet<long> connected)
    {
        var candidates = new List<(AgentRow Agent, MemberLoad Load)>();
        foreach (var load in await store.MemberLoadsAsync(inbox.Id))
        {
            if (inbox.MaxAssignmentLimit is { } limit && load.OpenAssigned >= limit) continue;
            if (await store.GetAgentAsync(load.AgentId) is not { } agent 
                || AgentPresence.EffectiveOf(agent, connected) != Availabilities.Online) continue;
            candidates.Add((agent, load));
        }
        return candidates.OrderBy(c => c.Load.OpenAssigned).ThenBy(c => c.Load.NewestAssignedAt ?? long.MinValue).ThenBy(c => c.Agent.Id)
            .Select(c => c.Agent).FirstOrDefault();
    }
}
