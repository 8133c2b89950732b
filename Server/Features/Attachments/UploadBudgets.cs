using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Attachments;

/// <summary>Bytes per hour a contact, and the contacts of one inbox together, may store (Limits:UploadBytesPerContactPerHour,
/// Limits:UploadBytesPerInboxPerHour): contacts are free to create, so the count of uploads alone (UploadsPerMinute, per
/// sender) does not bound the disk. Counted by the store over the past hour, so the budgets hold across nodes and
/// restarts. Agents' uploads are not counted (staff, authenticated; their upload rate still applies).</summary>
public static class UploadBudgets
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Throws rate_limited (with when to retry) when <paramref name="adding"/> more bytes would take the caller or
    /// its inbox over budget. Inside an upload's transaction, so a message's several files count one after another.</summary>
    public static async ValueTask CheckAsync(IStoreReader store, Caller caller, long adding, ChatLimits limits)
    {
        if (!limits.RateLimitsEnabled || !caller.IsContact) return;
        var now = Clock.NowMs();
        var since = now - (long)Window.TotalMilliseconds;
        if (limits.UploadBytesPerContactPerHour > 0)
            Check(await store.UploadedBySenderSinceAsync(caller.SenderType, caller.Id, since), adding, limits.UploadBytesPerContactPerHour,
                "your uploads", now);
        if (limits.UploadBytesPerInboxPerHour > 0 && caller.ContactInboxId is { } inboxId)
            Check(await store.UploadedInInboxSinceAsync(inboxId, since), adding, limits.UploadBytesPerInboxPerHour,
                "this inbox's uploads", now);
    }

    private static void Check(UploadedBytes used, long adding, long budget, string whose, long now)
    {
        if (used.Bytes + adding <= budget) return;
        // The hour's sum cannot drop before its oldest upload leaves the window: the earliest a retry may succeed.
        var retryAfter = TimeSpan.FromMilliseconds(Math.Max(1000, (used.OldestAt ?? now) + (long)Window.TotalMilliseconds - now));
        throw new ChatException(ErrorCodes.RateLimited,
            $"{whose} reached {AttachmentFiles.Describe(budget)} per hour; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s")
        { RetryAfter = retryAfter };
    }
}
