using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Visitors;

/// <summary>The visitors on the site now (heard from within Visitors:PresenceWindow), of the inboxes the agent is a
/// member of (an administrator: of every inbox), or of one of them; the most recently seen first, at most
/// Visitors:MaxListed. Contacts never see visitors.</summary>
public sealed record ListVisitors(long? InboxId) : IQuery<VisitorListDto>;

public sealed class ListVisitorsHandler(IVisitorBoard board, IOptions<VisitorOptions> options) : IQueryHandler<ListVisitors, VisitorListDto>
{
    public void Authorize(Caller caller, ListVisitors query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents see the visitors on the site");
    }

    public async ValueTask<VisitorListDto> HandleAsync(ListVisitors query, QueryContext context)
    {
        var (store, caller, o) = (context.Store, context.Caller, options.Value);
        var inboxIds = caller.IsAdministrator
            ? (await store.ListInboxesAsync()).Select(i => i.Id).ToList()
            : (await store.InboxIdsOfAgentAsync(caller.Id)).ToList();
        if (query.InboxId is { } only)
        {
            if (!inboxIds.Contains(only)) throw ChatException.Forbidden("you are not a member of this inbox");
            inboxIds = [only];
        }
        var since = Clock.NowMs() - (long)o.PresenceWindow.TotalMilliseconds;
        var visitors = new List<VisitorRecord>();
        foreach (var inboxId in inboxIds) visitors.AddRange(await board.SeenSinceAsync(inboxId, since, o.MaxListed));
        return new VisitorListDto
        {
            Payload = visitors.OrderByDescending(v => v.LastSeenAt).Take(o.MaxListed).Select(v => v.ToDto()).ToList(),
            PresenceWindowSeconds = (int)Math.Ceiling(o.PresenceWindow.TotalSeconds),
        };
    }
}
