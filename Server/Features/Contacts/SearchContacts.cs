using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Contacts;

/// <summary>The contacts the agent sees whose name, email, phone number or identifier contains <c>q</c> (ignoring the
/// case of ASCII letters), or whose id it is: the application API's <c>GET /contacts/search?q=</c>, newest first, 15 a
/// page. <c>q</c> is required (as Chatwoot) and bounded, as are the pages.</summary>
public sealed record SearchContacts(string? Q, int? Page) : IQuery<ContactPage>;

public sealed class SearchContactsValidator : AbstractValidator<SearchContacts>
{
    public const int MaxQueryLength = 100;

    public SearchContactsValidator()
    {
        RuleFor(q => q.Q).Must(text => !string.IsNullOrWhiteSpace(text)).WithMessage("specify the search string with the parameter q")
            .MaximumLength(MaxQueryLength).WellFormed().OverridePropertyName("q");
        RuleFor(q => q.Page).Must(p => p is null or >= 1 and <= ContactPage.MaxPage).WithMessage("page must be 1 or more").OverridePropertyName("page");
    }
}

public sealed class SearchContactsHandler : IQueryHandler<SearchContacts, ContactPage>
{
    public async ValueTask<ContactPage> HandleAsync(SearchContacts query, QueryContext context)
    {
        var page = query.Page ?? 1;
        var inboxes = await ContactAccess.InboxesSeenAsync(context.Store, context.Caller);
        var filter = new ContactFilter(inboxes, query.Q!.Trim(), (page - 1) * ContactPage.Size, ContactPage.Size);
        var (rows, total) = await context.Store.ListContactsAsync(filter);
        return new ContactPage(await AccountContact.OfAsync(context.Store, rows), total, page);
    }
}
