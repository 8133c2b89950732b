using System.Threading.RateLimiting;
using ChatHub.Contracts;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Common;

/// <summary>The writes that are rate limited, each with its own budget (API.md "Limits").</summary>
public enum RateLimitedAction
{
    Message,
    /// <summary>A file stored: an upload, or a file attached to a message.</summary>
    Upload,
    SeenMarker,
    Typing,
    ContactUpdate,
    Submission,
    ConversationStart,
    /// <summary>Status, assignment and availability changes.</summary>
    ConversationChange,
    AdminWrite,
    /// <summary>POST /contacts, keyed by the client's address (nobody is authenticated yet).</summary>
    ContactCreation,
    /// <summary>Commands on one /cable socket (subscribe, unsubscribe, message), keyed by the socket.</summary>
    CableCommand,
    /// <summary>A customer's sneak peek (issue 27), keyed by the connection: dropped past it, never an error.</summary>
    SneakPeek,
    /// <summary>A visitor's page view or heartbeat, keyed by the visitor (visitors on the site, issue 27).</summary>
    VisitorReport,
    /// <summary>A visitor first seen (in its visit), keyed by the client's address.</summary>
    NewVisitor,
}

/// <summary>Per-sender token buckets, one per action (System.Threading.RateLimiting). In memory, per node; a
/// bucket is dropped once it has been full and idle for a while, so memory follows the active senders.</summary>
public sealed class RateLimits : IDisposable
{
    private readonly Observability.ChatMetrics? _metrics;
    private readonly PartitionedRateLimiter<(RateLimitedAction Action, string Key)> _limiter;

    private readonly bool _enabled;

    public RateLimits(IOptions<ChatLimits> options, Observability.ChatMetrics? metrics = null)
    {
        var limits = options.Value;
        _metrics = metrics;
        _enabled = limits.RateLimitsEnabled;
        _limiter = PartitionedRateLimiter.Create<(RateLimitedAction Action, string Key), (RateLimitedAction, string)>(
            request => Budget(limits, request.Action) is ({ } count, { } period)
                ? RateLimitPartition.GetTokenBucketLimiter(request, _ => Bucket(count, period))
                : RateLimitPartition.GetNoLimiter(request));
    }

    /// <summary>Takes one unit of <paramref name="key"/>'s budget for <paramref name="action"/>, or throws rate_limited.</summary>
    public void Check(RateLimitedAction action, string key)
    {
        if (!_enabled) return; // load tests: not even a partition lookup
        using var lease = _limiter.AttemptAcquire((action, key));
        if (lease.IsAcquired) return;
        _metrics?.RateLimited(Describe(action));
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        throw new ChatException(ErrorCodes.RateLimited,
            $"too many {Describe(action)}; retry after {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))} s")
        { RetryAfter = retryAfter };
    }

    /// <summary>Takes one unit of <paramref name="key"/>'s budget for <paramref name="action"/>; false when there is none
    /// left (for what is dropped past its limit rather than refused: sneak peeks).</summary>
    public bool TryTake(RateLimitedAction action, string key)
    {
        if (!_enabled) return true;
        using var lease = _limiter.AttemptAcquire((action, key));
        if (lease.IsAcquired) return true;
        _metrics?.RateLimited(Describe(action));
        return false;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>How many in how long; null when that limit is off.</summary>
    private static (int? Count, TimeSpan? Period) Budget(ChatLimits l, RateLimitedAction action)
    {
        if (!l.RateLimitsEnabled) return (null, null);
        var (count, seconds) = action switch
        {
            RateLimitedAction.Message => (l.MessagesPerWindow, l.WindowSeconds),
            RateLimitedAction.Upload => (l.UploadsPerMinute, 60),
            RateLimitedAction.SeenMarker => (l.SeenMarkersPerMinute, 60),
            RateLimitedAction.Typing => (l.TypingPerMinute, 60),
            RateLimitedAction.ContactUpdate => (l.ContactUpdatesPerMinute, 60),
            RateLimitedAction.Submission => (l.SubmissionsPerMinute, 60),
            RateLimitedAction.ConversationStart => (l.ConversationStartsPerMinute, 60),
            RateLimitedAction.ConversationChange => (l.ConversationChangesPerMinute, 60),
            RateLimitedAction.AdminWrite => (l.AdminWritesPerMinute, 60),
            RateLimitedAction.ContactCreation => (l.ContactCreationsPerMinutePerAddress, 60),
            RateLimitedAction.CableCommand => (l.CableCommandsPerMinute, 60),
            RateLimitedAction.SneakPeek => (l.SneakPeeksPerSecond, 1),
            RateLimitedAction.VisitorReport => (l.VisitorReportsPerMinute, 60),
            RateLimitedAction.NewVisitor => (l.NewVisitorsPerMinutePerAddress, 60),
            _ => (0, 0),
        };
        return count > 0 && seconds > 0 ? (count, TimeSpan.FromSeconds(seconds)) : (null, null);
    }

    // A burst of the whole budget, then one more every period/count: a sender who paused gets the burst back.
    private static TokenBucketRateLimiterOptions Bucket(int count, TimeSpan period) => new()
    {
        TokenLimit = count,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = period / count,
        QueueLimit = 0,
    };

    private static string Describe(RateLimitedAction action) => action switch
    {
        RateLimitedAction.Message => "messages",
        RateLimitedAction.Upload => "uploads",
        RateLimitedAction.SeenMarker => "seen markers",
        RateLimitedAction.Typing => "typing updates",
        RateLimitedAction.ContactUpdate => "contact updates",
        RateLimitedAction.Submission => "submitted values",
        RateLimitedAction.ConversationStart => "new conversations",
        RateLimitedAction.ConversationChange => "conversation changes",
        RateLimitedAction.AdminWrite => "administrative changes",
        RateLimitedAction.ContactCreation => "new contacts from this address",
        RateLimitedAction.CableCommand => "/cable commands",
        RateLimitedAction.SneakPeek => "sneak peeks",
        RateLimitedAction.VisitorReport => "page views",
        RateLimitedAction.NewVisitor => "new visitors from this address",
        _ => "requests",
    };
}
