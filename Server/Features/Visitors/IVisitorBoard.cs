namespace ChatHub.Server.Features.Visitors;

/// <summary>Where visitors are kept for their visit, so that every node sees them: in memory on a single node
/// (<see cref="InMemoryVisitorBoard"/>), in Redis behind a backplane (ScaleOut/RedisVisitorBoard). Each record expires
/// Visitors:VisitGap after it was last saved; nothing is stored in the database.</summary>
public interface IVisitorBoard
{
    Task<VisitorRecord?> GetAsync(long inboxId, string visitorId);

    /// <summary>Saves the record (its expiry starts again); false when the board is full and it was not kept.</summary>
    Task<bool> SaveAsync(VisitorRecord visitor);

    /// <summary>The inbox's visitors seen at or after <paramref name="seenSinceMs"/>, the most recently seen first, at
    /// most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<VisitorRecord>> SeenSinceAsync(long inboxId, long seenSinceMs, int max);

    /// <summary>Records that an agent started a chat with the visitor (kept apart from the record, so that a report
    /// saving the record at the same moment cannot lose it); it expires with the visit.</summary>
    Task SetInvitationAsync(long inboxId, string visitorId, VisitorInvitation invitation);

    Task<VisitorInvitation?> GetInvitationAsync(long inboxId, string visitorId);
}

/// <summary>An agent's chat with a visitor: the contact the visitor's widget continues as, and the conversation.</summary>
public sealed record VisitorInvitation(long ContactId, long ConversationId);
