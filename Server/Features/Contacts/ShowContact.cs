using ChatHub.Server.Application.Pipeline;

namespace ChatHub.Server.Features.Contacts;

/// <summary>One contact, as an agent who sees it (<see cref="ContactAccess"/>) reads it: the application API's
/// <c>GET /contacts/{id}</c>.</summary>
public sealed record ShowContact(long ContactId) : IQuery<ContactRecord>;

public sealed class ShowContactHandler : IQueryHandler<ShowContact, ContactRecord>
{
    public async ValueTask<ContactRecord> HandleAsync(ShowContact query, QueryContext context) =>
        await ContactRecord.OfAsync(context.Store, await ContactAccess.ReadAsync(context.Store, context.Caller, query.ContactId));
}
