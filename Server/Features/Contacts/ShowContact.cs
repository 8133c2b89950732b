using ChatHub.Server.Application.Pipeline;

namespace ChatHub.Server.Features.Contacts;

/// <summary>One contact, as an agent who sees it (<see cref="ContactAccess"/>) reads it: the application API's
/// <c>GET /contacts/{id}</c>.</summary>
public sealed record ShowContact(long ContactId) : IQuery<AccountContact>;

public sealed class ShowContactHandler : IQueryHandler<ShowContact, AccountContact>
{
    public async ValueTask<AccountContact> HandleAsync(ShowContact query, QueryContext context) =>
        await AccountContact.OfAsync(context.Store, await ContactAccess.ReadAsync(context.Store, context.Caller, query.ContactId));
}
