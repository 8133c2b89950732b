namespace ChatHub.Server.Storage;

/// <summary>Reports (issue 25): what a report needs of one conversation, and nothing else (no attributes, no labels): a
/// report reads one narrow row per conversation with activity in its period, never a message.</summary>
public sealed class ReportFactRow
{
    public long Id { get; set; }
    public long InboxId { get; set; }
    public long? AssigneeId { get; set; }
    public long CreatedAt { get; set; }
    public long? FirstReplyAt { get; set; }
    public long? ResolvedAt { get; set; }
    public int? CsatRating { get; set; }
    public string? CsatComment { get; set; }
    public long? CsatAt { get; set; }
}

/// <summary>The conversations a report reads: those created, first answered, resolved or rated in [<see cref="From"/>,
/// <see cref="To"/>) (Unix ms), of one inbox and/or one assignee when given; at most <see cref="Limit"/> of them, in
/// no particular order.</summary>
public sealed record ReportQuery(long From, long To, long? InboxId, long? AssigneeId, int Limit);
