using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>The widget reads its inbox's enabled campaigns (public, as the inbox view: any page that embeds the widget
/// has the inbox identifier): what to show, when, and the sender's name and avatar, never an e-mail (Chatwoot's
/// widget reads them from <c>/api/v1/widget/campaigns</c>).</summary>
public sealed record ListInboxCampaigns(string InboxIdentifier) : IQuery<IReadOnlyList<PublicCampaignDto>>;

public sealed class ListInboxCampaignsHandler : IQueryHandler<ListInboxCampaigns, IReadOnlyList<PublicCampaignDto>>
{
    public async ValueTask<IReadOnlyList<PublicCampaignDto>> HandleAsync(ListInboxCampaigns query, QueryContext context)
    {
        var inbox = await ContactCredentials.FindInboxAsync(context.Store, query.InboxIdentifier);
        var rows = (await context.Store.ListCampaignsOfInboxAsync(inbox.Id)).Where(c => c.Enabled).ToList();
        var senders = await CampaignMapper.SendersAsync(context.Store, rows);
        return rows.Select(c => CampaignMapper.ToPublicDto(c, senders.SenderOf(c))).ToList();
    }
}
