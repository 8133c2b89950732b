namespace ChatHub.Server.Application.Presence;

/// <summary>Where agents' connections are known to every node, with expiry: each node holds the agents connected to
/// it (renewed while they are), releases one when its last connection here closes (the hold then lasts the grace),
/// and a hold not renewed in time (its node died) expires. <see cref="SettleAsync"/> turns expired holds into agents
/// who are no longer connected and new holds into agents who now are, each change reported to exactly one caller, so
/// one node announces it. In memory on a single node (<see cref="InMemoryPresenceBoard"/>), in Redis behind a
/// backplane (<c>RedisPresenceBoard</c>).</summary>
public interface IPresenceBoard
{
    /// <summary>These agents have a connection on this node: their hold lasts <paramref name="ttl"/> from now.</summary>
    Task HoldAsync(IReadOnlyCollection<long> agentIds, TimeSpan ttl);

    /// <summary>The last connection of these agents on this node closed: their hold here ends <paramref name="grace"/>
    /// from now (unless held again).</summary>
    Task ReleaseAsync(IReadOnlyCollection<long> agentIds, TimeSpan grace);

    /// <summary>Drops expired holds and compares the agents held now with those announced so far, atomically: what it
    /// returns as came or went is returned to no other caller.</summary>
    Task<PresenceSettlement> SettleAsync();
}

/// <summary>One settlement: who became connected, who no longer is, and who is connected now.</summary>
public sealed record PresenceSettlement(IReadOnlyList<long> Came, IReadOnlyList<long> Went, IReadOnlySet<long> Connected)
{
    public bool Changed => Came.Count > 0 || Went.Count > 0;
}
