using ChatHub.Server.Application.Events;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Presence;

/// <summary>An inbox's "someone is online" can change without anyone connecting: an online agent joins it or leaves it.
/// When an agent added or removed is online now, the inbox's contacts are told its flag as it is after the change
/// (<see cref="InboxAvailabilityChanged"/>; it may say what they knew already, never who), before the administrator
/// is answered. A member who is not online changes nothing, and nothing is sent.</summary>
public sealed class MembershipPresenceSink(IChatStore store, AgentPresence presence, IServiceProvider services,
    ILogger<MembershipPresenceSink> logger) : IEventSink
{
    public void Publish(ChatEvent change)
    {
    }

    public Task SettleAsync(ChatEvent change) => change switch
    {
        InboxMembersAdded e => TellAsync(e.InboxId, e.AgentIds),
        InboxMembersRemoved e => TellAsync(e.InboxId, e.AgentIds),
        _ => Task.CompletedTask,
    };

    private async Task TellAsync(long inboxId, IReadOnlyList<long> agentIds)
    {
        try
        {
            var connected = presence.Connected;
            if (!agentIds.Any(connected.Contains)) return; // nobody connected among them: the flag cannot have changed
            var told = await store.ReadAsync(async reader =>
            {
                foreach (var agentId in agentIds)
                {
                    if (await reader.GetAgentAsync(agentId) is { } agent && AgentPresence.EffectiveOf(agent, connected) == Contracts.Availabilities.Online)
                        return new InboxAvailabilityChanged(inboxId, await AgentPresence.InboxOnlineAsync(reader, inboxId, connected));
                }
                return null;
            });
            // Resolved here, not injected: the bus is made of the sinks, this one included.
            if (told is not null) services.GetRequiredService<EventBus>().Publish([told]);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The contacts of inbox {InboxId} could not be told whether someone is online", inboxId);
        }
    }
}
