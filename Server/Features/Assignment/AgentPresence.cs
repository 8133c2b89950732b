using ChatHub.Contracts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Assignment;

/// <summary>Whether an agent counts as online for auto-assignment: the one place that reads presence, so that a
/// connection-based presence (issue 24) replaces it in one registration. It runs inside a command's transaction: an
/// implementation answers from the store or from memory, never from the network.</summary>
public interface IAgentPresence
{
    ValueTask<bool> IsOnlineAsync(IStoreReader store, AgentRow agent);
}

/// <summary>Today's presence: the availability the agent chose (SetAvailability), for an active agent.</summary>
public sealed class StoredAvailabilityPresence : IAgentPresence
{
    public ValueTask<bool> IsOnlineAsync(IStoreReader store, AgentRow agent) =>
        ValueTask.FromResult(agent.DeactivatedAt is null && agent.Availability == Availabilities.Online);
}
