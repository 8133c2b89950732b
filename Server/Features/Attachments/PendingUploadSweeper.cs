using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Attachments;

/// <summary>Deletes uploads never sent with a message once they are older than Limits:PendingUploadTtl, with their bytes,
/// so an upload nobody sends does not keep its disk for ever. In small steps, each a short write of its own (the single
/// writer of an embedded store is never held long). Every node sweeps; a file another node deleted first is simply gone.
/// Until the sweep comes, an expired upload is treated as gone already (its URL 404s, its id cannot be sent).</summary>
public sealed class PendingUploadSweeper(IChatStore store, ChatLimits limits, ILogger<PendingUploadSweeper> logger) : BackgroundService
{
    /// <summary>Files per write: a 10 MB file is 160 slices to delete.</summary>
    private const int Step = 16;

    /// <summary>A quarter of the TTL, between 1 s and 10 min: an expired upload's bytes are freed within about that.</summary>
    public static TimeSpan IntervalFor(TimeSpan ttl) =>
        TimeSpan.FromTicks(Math.Clamp(ttl.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(10).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var interval = IntervalFor(limits.PendingUploadTtl);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unavailable for a moment (or shutting down): the next round tries again.
                logger.LogWarning(ex, "Sweeping expired pending uploads failed; trying again");
            }
            try { await Task.Delay(interval, stopping); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Deletes every pending upload expired now; how many went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var createdBefore = Clock.NowMs() - (long)limits.PendingUploadTtl.TotalMilliseconds;
        var total = 0;
        while (true)
        {
            var deleted = await store.WriteAsync(t => t.DeletePendingAttachmentsAsync(createdBefore, Step), cancellationToken);
            total += deleted;
            if (deleted < Step) break;
        }
        if (total > 0) logger.LogInformation("Deleted {Count} pending uploads older than {Ttl}", total, limits.PendingUploadTtl);
        return total;
    }
}
