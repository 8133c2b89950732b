namespace ChatHub.Contracts;

// Visitors on the site (issue 27): what agents of an inbox see of the people browsing a site with its widget, before
// they write. Never an IP address, never the visitor's own key (the widget's secret); times are Unix seconds.

/// <summary>One page the visitor opened.</summary>
public sealed record PageViewDto
{
    public string Url { get; init; } = "";
    public string? Title { get; init; }
    public string? Referrer { get; init; }
    /// <summary>When it was opened (Unix seconds): the time on the page is counted from it.</summary>
    public long At { get; init; }
}

/// <summary>A visitor on the site now, as agents of its inbox see it.</summary>
public sealed record VisitorDto
{
    /// <summary>The visitor's public id (derived from, never equal to, the widget's key).</summary>
    public string Id { get; init; } = "";
    public long InboxId { get; init; }
    /// <summary>The contact this visitor already is (a returning customer, or one an agent started a chat with); null
    /// for a visitor who never wrote.</summary>
    public long? ContactId { get; init; }
    public string? Name { get; init; }
    /// <summary>The page open now (the newest of <see cref="Pages"/>).</summary>
    public PageViewDto? CurrentPage { get; init; }
    /// <summary>This visit's pages, oldest first: the newest Visitors:MaxPagesKept of them.</summary>
    public IReadOnlyList<PageViewDto> Pages { get; init; } = [];
    /// <summary>Pages opened this visit (may be more than <see cref="Pages"/> holds).</summary>
    public int PagesThisVisit { get; init; }
    /// <summary>The referrer of this visit's first page (where the visitor came from).</summary>
    public string? Referrer { get; init; }
    public long VisitStartedAt { get; init; }
    public long LastSeenAt { get; init; }
    /// <summary>Visits the widget counted on this browser (1 for a new visitor).</summary>
    public int Visits { get; init; }
    public bool Returning { get; init; }
    /// <summary>ISO 3166 region of the browser's first language with one (Accept-Language), e.g. "DE"; null when none.</summary>
    public string? Country { get; init; }
    /// <summary>The conversation an agent started with this visitor, if any.</summary>
    public long? ConversationId { get; init; }
}

/// <summary>The visitors of the caller's inboxes on the site now.</summary>
public sealed record VisitorListDto
{
    public IReadOnlyList<VisitorDto> Payload { get; init; } = [];
    /// <summary>A visitor not heard from for this long has left (the console drops it then).</summary>
    public int PresenceWindowSeconds { get; init; }
}

/// <summary>The widget's answer to a page view or heartbeat.</summary>
public sealed record VisitResultDto
{
    /// <summary>The visitor's public id.</summary>
    public string VisitorId { get; init; } = "";
    /// <summary>Send a heartbeat this often while the page is open.</summary>
    public int HeartbeatSeconds { get; init; }
    /// <summary>An agent started a chat: the contact to continue as and the conversation to open; else null.</summary>
    public VisitorInvitationDto? Invitation { get; init; }
}

/// <summary>The contact an agent's chat was started with (its client API credentials: only ever to the visitor's own
/// widget, which proved its key) and the conversation.</summary>
public sealed record VisitorInvitationDto
{
    public long ConversationId { get; init; }
    public ContactDto Contact { get; init; } = new();
}
