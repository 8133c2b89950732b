using ChatHub.Contracts;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Assignment;

/// <summary>Who will most likely answer a new conversation of an inbox (issue 27, LiveChat's <c>get_predicted_agent</c>),
/// for the widget's header before the chat starts. With auto-assignment on, its own choice (<see cref="AutoAssignment"/>:
/// the online member with the fewest open conversations under the limit); otherwise, or when that finds nobody, the
/// online member who most recently took a conversation of the inbox (the newest of its open assigned ones; the lowest
/// id among those with none). Null when no member is online (busy does not count). A guess, not a promise: loads and
/// presence may change before the first message. It tells the public the name customers see and the avatar, nothing
/// else (never an email or an id).</summary>
public static class AgentPrediction
{
    public static async ValueTask<PredictedAgentDto?> OfAsync(IStoreReader store, InboxRow inbox, IReadOnlySet<long> connected)
    {
        var agent = inbox.EnableAutoAssignment ? await AutoAssignment.ChooseAsync(store, inbox, connected) : null;
        agent ??= await MostRecentlyActiveAsync(store, inbox.Id, connected);
        return agent is null ? null : new PredictedAgentDto { Name = AgentAvatars.AvailableName(agent), AvatarUrl = AgentAvatars.UrlOf(agent) };
    }

    private static async ValueTask<AgentRow?> MostRecentlyActiveAsync(IStoreReader store, long inboxId, IReadOnlySet<long> connected)
    {
        var online = new List<(AgentRow Agent, MemberLoad Load)>();
        foreach (var load in await store.MemberLoadsAsync(inboxId))
        {
            if (await store.GetAgentAsync(load.AgentId) is { } agent && AgentPresence.EffectiveOf(agent, connected) == Availabilities.Online)
                online.Add((agent, load));
        }
        return online.OrderByDescending(c => c.Load.NewestAssignedAt ?? long.MinValue).ThenBy(c => c.Agent.Id).Select(c => c.Agent).FirstOrDefault();
    }
}
