namespace ChatHub.Contracts;

// Search (issue 25): the hub's SearchMessages and SearchConversations, and what they answer.

public sealed record SearchRequest
{
    /// <summary>The words to find (each matches the start of a word), or a contact's name, email, phone or identifier.</summary>
    public string? Q { get; init; }
    /// <summary>1 and up (at most 10 pages).</summary>
    public int? Page { get; init; }
    /// <summary>Only this inbox (the caller must be a member); every inbox of the caller's otherwise.</summary>
    public long? InboxId { get; init; }
}

/// <summary>A part of a snippet to highlight: <see cref="Start"/> and <see cref="Length"/> in UTF-16 code units.</summary>
public sealed record TextRange
{
    public int Start { get; init; }
    public int Length { get; init; }
}

/// <summary>A message that matched, with its conversation's essentials and a short plain-text excerpt around the
/// first match (<see cref="Highlights"/> say which parts matched; the client renders it as text, never as HTML).</summary>
public sealed record MessageSearchHit
{
    public MessageDto Message { get; init; } = new();
    public long ConversationId { get; init; }
    public long InboxId { get; init; }
    public string Status { get; init; } = ConversationStatuses.Open;
    public string? ContactName { get; init; }
    public string Snippet { get; init; } = "";
    public IReadOnlyList<TextRange> Highlights { get; init; } = [];
}

public sealed record MessageSearchResult
{
    public IReadOnlyList<MessageSearchHit> Messages { get; init; } = [];
    public int Page { get; init; }
    public bool HasMore { get; init; }
}

public sealed record ConversationSearchResult
{
    /// <summary>Each with its newest matching messages (none when only its contact matched).</summary>
    public IReadOnlyList<ConversationDto> Conversations { get; init; } = [];
    public int Page { get; init; }
    public bool HasMore { get; init; }
    /// <summary>How many of what the search reached (at most ten pages and one) are the caller's, assigned, unassigned,
    /// and in all (Chatwoot's meta counts).</summary>
    public int MineCount { get; init; }
    public int AssignedCount { get; init; }
    public int UnassignedCount { get; init; }
    public int AllCount { get; init; }
}
