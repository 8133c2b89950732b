using ChatHub.Server.Chatwoot;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>Chatwoot's trigger_rules of a website campaign.</summary>
public sealed record TriggerRulesDto(string Url, int TimeOnPage);

/// <summary>The campaign's inbox, as far as the campaign list needs it.</summary>
public sealed record CampaignInboxDto(long Id, string Name);

/// <summary>A campaign as Chatwoot's <c>_campaign</c> partial renders an ongoing website campaign: its columns, its
/// inbox, its sender (the <c>_agent</c> partial, null when the inbox sends it), campaign_type ongoing and
/// campaign_status active (ChatHub has no one-off campaigns), Rails' ISO 8601 times.</summary>
public sealed record CampaignDto(
    long Id, string Title, string? Description, long AccountId, CampaignInboxDto Inbox, AgentData? Sender, string Message,
    string CampaignStatus, bool Enabled, string CampaignType, TriggerRulesDto TriggerRules, bool TriggerOnlyDuringBusinessHours,
    string CreatedAt, string UpdatedAt);

/// <summary>A campaign as the widget needs it (public: any page that embeds the widget reads it): what to show, when,
/// and who it comes from by name and avatar, never an e-mail.</summary>
public sealed record PublicCampaignDto(long Id, string Message, TriggerRulesDto TriggerRules, bool TriggerOnlyDuringBusinessHours, PublicSenderDto? Sender);

public sealed record PublicSenderDto(string Name, string? AvatarUrl);

public static class CampaignMapper
{
    public static CampaignDto ToDto(CampaignRow c, InboxRow? inbox, AgentRow? sender) => new(
        c.Id, c.Title, c.Description, ChatwootAccount.Id, new CampaignInboxDto(c.InboxId, inbox?.Name ?? ""),
        sender is null ? null : new AgentData(sender.Id, ChatwootAccount.Id, sender.Availability, false, true, sender.Email,
            AgentAvatars.AvailableName(sender), sender.Name, sender.Role, AgentAvatars.UrlOf(sender) ?? ""),
        c.Message, "active", c.Enabled, "ongoing", new TriggerRulesDto(c.TriggerUrl, c.TimeOnPage), c.TriggerOnlyDuringBusinessHours,
        ChatwootJson.Time(c.CreatedAt / 1000), ChatwootJson.Time(c.UpdatedAt / 1000));

    public static PublicCampaignDto ToPublicDto(CampaignRow c, AgentRow? sender) => new(
        c.Id, c.Message, new TriggerRulesDto(c.TriggerUrl, c.TimeOnPage), c.TriggerOnlyDuringBusinessHours,
        sender is null ? null : new PublicSenderDto(AgentAvatars.AvailableName(sender), AgentAvatars.UrlOf(sender)));

    /// <summary>The agents campaigns name as senders, by id (a deleted one is absent: its campaigns show no sender).</summary>
    public static async ValueTask<IReadOnlyDictionary<long, AgentRow>> SendersAsync(IStoreReader store, IEnumerable<CampaignRow> campaigns)
    {
        var senders = new Dictionary<long, AgentRow>();
        foreach (var id in campaigns.Select(c => c.SenderId).OfType<long>().Distinct())
            if (await store.GetAgentAsync(id) is { } agent) senders[id] = agent;
        return senders;
    }

    public static AgentRow? SenderOf(this IReadOnlyDictionary<long, AgentRow> senders, CampaignRow c) =>
        c.SenderId is { } id ? senders.GetValueOrDefault(id) : null;
}
