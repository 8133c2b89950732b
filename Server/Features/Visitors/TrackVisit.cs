using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Visitors;

/// <summary>The page a visitor opened, as the widget reports it.</summary>
public sealed record PageViewFields(string? Url, string? Title, string? Referrer);

/// <summary>A visitor's widget reports a page view (<paramref name="Page"/>) or, without one, that the page is still
/// open (a heartbeat): the visitor is on the site now, kept on the <see cref="IVisitorBoard"/> for its visit, and the
/// inbox's agents are told of a new page or of the visitor's return. The identity rules are the client API's: an HMAC
/// inbox takes only a signed identifier; a <paramref name="SourceId"/> (the widget's stored contact) links the visitor
/// to that contact of the inbox. The answer says how often to report, and carries an agent's chat once there is one.</summary>
/// <param name="VisitorKey">The widget's secret key (<see cref="VisitorKeys"/>).</param>
/// <param name="Visits">Visits the widget counted on this browser (shown to agents as new or returning).</param>
/// <param name="AcceptLanguage">The request's header, for the country agents see (<see cref="VisitorCountry"/>).</param>
/// <param name="ClientAddress">Only to limit new visitors per address; never kept, never shown.</param>
public sealed record TrackVisit(string InboxIdentifier, string? VisitorKey, PageViewFields? Page, string? SourceId, string? Identifier,
    string? IdentifierHash, int? Visits, string? AcceptLanguage, string ClientAddress) : IQuery<VisitResultDto>;

public sealed class TrackVisitValidator : AbstractValidator<TrackVisit>
{
    public TrackVisitValidator(IOptions<VisitorOptions> options)
    {
        var o = options.Value;
        RuleFor(c => c.VisitorKey).Must(VisitorKeys.IsWellFormed)
            .WithMessage($"visitor_token must be {VisitorKeys.MinLength} to {VisitorKeys.MaxLength} letters, digits, '-' or '_'")
            .OverridePropertyName("visitor_token");
        RuleFor(c => c.Page!.Url).NotEmpty().MaximumLength(o.MaxUrlLength).Must(IsWebAddress).WithMessage("url must be an http(s) address")
            .When(c => c.Page is not null).OverridePropertyName("url");
        RuleFor(c => c.Page!.Title).MaximumLength(o.MaxTitleLength).WellFormed().When(c => c.Page is not null).OverridePropertyName("title");
        RuleFor(c => c.Page!.Referrer).MaximumLength(o.MaxUrlLength).WellFormed().When(c => c.Page is not null).OverridePropertyName("referrer");
        RuleFor(c => c.SourceId).MaximumLength(Validation.MaxSourceIdLength).WellFormed().OverridePropertyName("source_id");
        RuleFor(c => c.Identifier).MaximumLength(255).WellFormed().OverridePropertyName("identifier");
        RuleFor(c => c.IdentifierHash).MaximumLength(128).OverridePropertyName("identifier_hash");
    }

    private static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}

public sealed class TrackVisitHandler(IVisitorBoard board, RateLimits rateLimits, IOptions<VisitorOptions> options)
    : IQueryHandler<TrackVisit, VisitResultDto>
{
    public void Authorize(Caller caller, TrackVisit query) =>
        rateLimits.Check(RateLimitedAction.VisitorReport, "visitor:" + VisitorKeys.PublicId(query.VisitorKey!));

    public async ValueTask<VisitResultDto> HandleAsync(TrackVisit query, QueryContext context)
    {
        var (store, o) = (context.Store, options.Value);
        var inbox = await ContactCredentials.FindInboxAsync(store, query.InboxIdentifier);
        var verified = Tokens.IsValidIdentifierHash(inbox.HmacToken, query.Identifier, query.IdentifierHash);
        if (inbox.HmacMandatory && !verified) throw ChatException.Unauthorized("a valid identifier_hash is required by this inbox");
        var contact = query.SourceId is { } sourceId ? await store.FindContactBySourceIdAsync(inbox.Id, sourceId) : null;

        var now = Clock.NowMs();
        var id = VisitorKeys.PublicId(query.VisitorKey!);
        var visitor = await board.GetAsync(inbox.Id, id);
        var cameBack = visitor is null || now - visitor.LastSeenAt > o.PresenceWindow.TotalMilliseconds;
        if (visitor is null)
        {
            rateLimits.Check(RateLimitedAction.NewVisitor, query.ClientAddress);
            visitor = new VisitorRecord { Id = id, InboxId = inbox.Id, VisitStartedAt = now };
        }
        if (query.Page is { } page)
        {
            visitor.Pages.Add(new VisitorRecord.PageView(page.Url!, Blank(page.Title), Blank(page.Referrer), now));
            if (visitor.Pages.Count > o.MaxPagesKept) visitor.Pages.RemoveRange(0, visitor.Pages.Count - o.MaxPagesKept);
            if (++visitor.PagesThisVisit == 1) visitor.Referrer = Blank(page.Referrer);
        }
        visitor.LastSeenAt = now;
        visitor.Visits = Math.Clamp(query.Visits ?? 1, 1, 1_000_000);
        visitor.Country = VisitorCountry.FromAcceptLanguage(query.AcceptLanguage);
        if (contact is not null) (visitor.ContactId, visitor.Name) = (contact.Id, contact.Name);
        if (verified) visitor.VerifiedIdentifier = query.Identifier;

        var invitation = await board.GetInvitationAsync(inbox.Id, id);
        visitor.InvitedConversationId = invitation?.ConversationId;
        visitor.InvitedContactId = invitation?.ContactId;
        // A full board (Visitors:MaxTracked) keeps no new visitor: it is not shown, and nothing else changes for it.
        if (await board.SaveAsync(visitor) && (query.Page is not null || cameBack)) context.Raise(new VisitorChanged(visitor.ToDto()));

        return new VisitResultDto
        {
            VisitorId = id,
            HeartbeatSeconds = (int)Math.Ceiling(o.HeartbeatInterval.TotalSeconds),
            Invitation = await InvitationAsync(store, invitation),
        };
    }

    /// <summary>An agent's newest chat with the visitor, for the rest of the visit: the widget opens each conversation once
    /// (a returning customer's widget, already that contact, opens it too).</summary>
    private static async ValueTask<VisitorInvitationDto?> InvitationAsync(IStoreReader store, VisitorInvitation? invitation)
    {
        if (invitation is null) return null;
        return await store.GetContactAsync(invitation.ContactId) is { } invited
            ? new VisitorInvitationDto { ConversationId = invitation.ConversationId, Contact = ContactMapper.ToDto(invited) }
            : null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
