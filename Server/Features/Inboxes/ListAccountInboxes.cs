using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Contacts;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>The inboxes an agent works in (an administrator: every inbox), for the application API's
/// <c>GET /inboxes</c>. The HMAC secret only for administrators, as Chatwoot shows it.</summary>
public sealed record ListAccountInboxes : IQuery<IReadOnlyList<InboxAdminDto>>;

public sealed class ListAccountInboxesHandler : IQueryHandler<ListAccountInboxes, IReadOnlyList<InboxAdminDto>>
{
    public async ValueTask<IReadOnlyList<InboxAdminDto>> HandleAsync(ListAccountInboxes query, QueryContext context)
    {
        var seen = await ContactAccess.InboxesSeenAsync(context.Store, context.Caller);
        return (await context.Store.ListInboxesAsync()).Where(i => seen is null || seen.Contains(i.Id))
            .Select(i => AccountInboxes.ToDto(i, context.Caller)).ToList();
    }
}

public static class AccountInboxes
{
    /// <summary>The inbox as the application API shows it to this caller: its secret to administrators only.</summary>
    public static InboxAdminDto ToDto(Storage.InboxRow inbox, Identity.Caller caller) =>
        caller.IsAdministrator ? InboxMapper.ToAdminDto(inbox) : InboxMapper.ToAdminDto(inbox) with { HmacToken = "" };
}
