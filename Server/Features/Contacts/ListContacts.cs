using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Contacts;

/// <summary>The contacts of the inboxes the agent sees (<see cref="ContactAccess"/>), newest first, 15 a page (the
/// application API's <c>GET /contacts</c>).</summary>
public sealed record ListContacts(int? Page) : IQuery<ContactPage>;

public sealed class ListContactsValidator : AbstractValidator<ListContacts>
{
    public ListContactsValidator() =>
        RuleFor(q => q.Page).Must(p => p is null or >= 1 and <= ContactPage.MaxPage).WithMessage("page must be 1 or more").OverridePropertyName("page");
}

public sealed class ListContactsHandler : IQueryHandler<ListContacts, ContactPage>
{
    public async ValueTask<ContactPage> HandleAsync(ListContacts query, QueryContext context)
    {
        var page = query.Page ?? 1;
        var inboxes = await ContactAccess.InboxesSeenAsync(context.Store, context.Caller);
        var (rows, total) = await context.Store.ListContactsAsync(new ContactFilter(inboxes, null, (page - 1) * ContactPage.Size, ContactPage.Size));
        return new ContactPage(await AccountContact.OfAsync(context.Store, rows), total, page);
    }
}
