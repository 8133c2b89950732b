using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Connections;

/// <summary>Catches what no event told this node: an agent's token reset by the <c>reset-token</c> command line (another
/// process, which cannot reach a single node) or a change whose request to this node was lost. Twice a second, while
/// agents are connected here, one read of the agents compares each open agent connection with its agent's current
/// token and state; a mismatch gets that agent's full recheck.</summary>
public sealed class AccessSweep(IChatStore store, OpenConnections open, AccessRecheck recheck, ILogger<AccessSweep> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await SweepAsync();
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "The access sweep failed; it runs again shortly");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SweepAsync()
    {
        var connections = open.Agents();
        if (connections.Count == 0) return;
        var agents = (await store.ReadAsync(reader => reader.ListAgentsAsync())).ToDictionary(a => a.Id);
        var stale = connections
            .Where(c => !c.IsRevoked && !(agents.TryGetValue(c.Caller.Id, out var agent) && CredentialRules.AgentCredentialCurrent(agent, c.Caller)))
            .Select(c => c.Caller.Id)
            .Distinct();
        foreach (var agentId in stale) await recheck.RecheckHereAsync(new AccessScope.Agent(agentId));
    }
}
