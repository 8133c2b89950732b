using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>Every agent lists the account's campaigns, newest first (Chatwoot's <c>campaigns#index</c>; at most
/// Limits:MaxCampaigns exist).</summary>
public sealed record ListCampaigns : IQuery<IReadOnlyList<CampaignDto>>;

public sealed class ListCampaignsHandler : IQueryHandler<ListCampaigns, IReadOnlyList<CampaignDto>>
{
    public void Authorize(Caller caller, ListCampaigns query) => CampaignRules.RequireAgent(caller);

    public async ValueTask<IReadOnlyList<CampaignDto>> HandleAsync(ListCampaigns query, QueryContext context)
    {
        var rows = await context.Store.ListCampaignsAsync();
        var senders = await CampaignMapper.SendersAsync(context.Store, rows);
        var inboxes = (await context.Store.ListInboxesAsync()).ToDictionary(i => i.Id);
        return rows.Select(c => CampaignMapper.ToDto(c, inboxes.GetValueOrDefault(c.InboxId), senders.SenderOf(c))).ToList();
    }
}

/// <summary>Every agent reads one campaign (Chatwoot's <c>campaigns#show</c>).</summary>
public sealed record GetCampaign(long Id) : IQuery<CampaignDto>;

public sealed class GetCampaignHandler : IQueryHandler<GetCampaign, CampaignDto>
{
    public void Authorize(Caller caller, GetCampaign query) => CampaignRules.RequireAgent(caller);

    public async ValueTask<CampaignDto> HandleAsync(GetCampaign query, QueryContext context)
    {
        var row = await context.Store.GetCampaignAsync(query.Id) ?? throw ChatException.NotFound("campaign");
        var sender = row.SenderId is { } senderId ? await context.Store.GetAgentAsync(senderId) : null;
        return CampaignMapper.ToDto(row, await context.Store.GetInboxAsync(row.InboxId), sender);
    }
}
