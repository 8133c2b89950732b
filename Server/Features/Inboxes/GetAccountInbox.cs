using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Contacts;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>One inbox the agent works in (an administrator: any), for the application API's <c>GET /inboxes/{id}</c>;
/// another is "not found".</summary>
public sealed record GetAccountInbox(long InboxId) : IQuery<InboxAdminDto>;

public sealed class GetAccountInboxHandler : IQueryHandler<GetAccountInbox, InboxAdminDto>
{
    public async ValueTask<InboxAdminDto> HandleAsync(GetAccountInbox query, QueryContext context) =>
        AccountInboxes.ToDto(await ContactAccess.InboxAsync(context.Store, context.Caller, query.InboxId), context.Caller);
}
