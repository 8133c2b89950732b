using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Reopens snoozed conversations whose snoozed_until has passed, every Limits:SnoozeSweepInterval, each through
/// the pipeline (<see cref="ReopenSnoozed"/>: its seq, its events after the commit). Every node sweeps; the use case
/// checks the conversation again under its lock, so one that another node reopened first is left alone.</summary>
public sealed class SnoozeSweeper(IChatStore store, Dispatcher dispatcher, ChatLimits limits, ILogger<SnoozeSweeper> logger) : BackgroundService
{
    /// <summary>Conversations per read of the due list.</summary>
    private const int Step = 50;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
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
                logger.LogWarning(ex, "Reopening snoozed conversations failed; trying again");
            }
            try { await Task.Delay(limits.SnoozeSweepInterval, stopping); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Reopens every conversation whose snooze has ended by now; how many this node reopened.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = Clock.NowMs();
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = await store.ReadAsync(r => r.ListSnoozeEndedAsync(now, Step), cancellationToken);
            var reopened = 0;
            foreach (var id in due)
                if (await dispatcher.SendAsync<ReopenSnoozed, bool>(Caller.Operator, new ReopenSnoozed(id, now))) reopened++;
            total += reopened;
            // A short list is the last; a list another node emptied meanwhile ends the round too (it has the rest).
            if (due.Count < Step || reopened == 0) break;
        }
        if (total > 0) logger.LogInformation("Reopened {Count} snoozed conversations", total);
        return total;
    }
}
