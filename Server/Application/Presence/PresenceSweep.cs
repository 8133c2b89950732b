using Microsoft.Extensions.Options;

namespace ChatHub.Server.Application.Presence;

/// <summary>Keeps presence true without any connection opening or closing: every sweep interval each node settles the
/// board (an agent's grace ran out, or another node died and its holds expired: whichever node settles first announces
/// it), and every third of <see cref="PresenceOptions.NodeTimeout"/> it renews the holds of its own agents. Settling
/// once at start makes a restarted deployment forget the agents nobody holds any more.</summary>
public sealed class PresenceSweep(PresenceTracker tracker, IOptions<PresenceOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var renewEvery = options.Value.NodeTimeout / 3;
        var lastRenewal = DateTime.UtcNow;
        await tracker.SyncAsync(renew: true);
        using var timer = new PeriodicTimer(options.Value.SweepInterval());
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var renew = DateTime.UtcNow - lastRenewal >= renewEvery;
                if (renew) lastRenewal = DateTime.UtcNow;
                await tracker.SyncAsync(renew);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
