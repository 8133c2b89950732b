using ChatHub.Contracts;

namespace ChatHub.Server.Features.Visitors;

/// <summary>What is kept of one visitor for its visit (on a <see cref="IVisitorBoard"/>, with expiry): never its key,
/// never its address. Times are Unix milliseconds. Plain properties, so that Redis can hold it as JSON.</summary>
public sealed class VisitorRecord
{
    public string Id { get; set; } = "";
    public long InboxId { get; set; }
    public long? ContactId { get; set; }
    public string? Name { get; set; }
    /// <summary>The site's signed identifier, when the widget proved it (an HMAC inbox): a chat started by an agent
    /// goes to that person's contact.</summary>
    public string? VerifiedIdentifier { get; set; }
    public List<PageView> Pages { get; set; } = [];
    public int PagesThisVisit { get; set; }
    public string? Referrer { get; set; }
    public long VisitStartedAt { get; set; }
    public long LastSeenAt { get; set; }
    public int Visits { get; set; } = 1;
    public string? Country { get; set; }
    /// <summary>The conversation an agent started with this visitor, and its contact (the widget continues as it).</summary>
    public long? InvitedConversationId { get; set; }
    public long? InvitedContactId { get; set; }

    public sealed record PageView(string Url, string? Title, string? Referrer, long At);

    public VisitorRecord Copy() => new()
    {
        Id = Id, InboxId = InboxId, ContactId = ContactId, Name = Name, VerifiedIdentifier = VerifiedIdentifier, Pages = [.. Pages],
        PagesThisVisit = PagesThisVisit, Referrer = Referrer, VisitStartedAt = VisitStartedAt, LastSeenAt = LastSeenAt, Visits = Visits,
        Country = Country, InvitedConversationId = InvitedConversationId, InvitedContactId = InvitedContactId,
    };

    /// <summary>The agents' view (never the verified identifier's proof, never the key).</summary>
    public VisitorDto ToDto()
    {
        var pages = Pages.Select(p => new PageViewDto { Url = p.Url, Title = p.Title, Referrer = p.Referrer, At = p.At / 1000 }).ToList();
        return new VisitorDto
        {
            Id = Id, InboxId = InboxId, ContactId = ContactId ?? InvitedContactId, Name = Name,
            CurrentPage = pages.Count > 0 ? pages[^1] : null, Pages = pages, PagesThisVisit = PagesThisVisit, Referrer = Referrer,
            VisitStartedAt = VisitStartedAt / 1000, LastSeenAt = LastSeenAt / 1000, Visits = Visits, Returning = Visits > 1 || ContactId is not null,
            Country = Country, ConversationId = InvitedConversationId,
        };
    }
}
