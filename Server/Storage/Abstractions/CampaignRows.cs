namespace ChatHub.Server.Storage;

/// <summary>A campaign (Chatwoot's ongoing website campaigns, issue 27): a message the widget of its inbox shows as a
/// bubble to a visitor who stayed <see cref="TimeOnPage"/> seconds on a page matching <see cref="TriggerUrl"/>; a
/// visitor who answers starts a conversation holding it. Chatwoot's trigger_rules are two columns here.</summary>
public sealed class CampaignRow
{
    [WrittenOnce] public long Id { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public string Message { get; set; } = "";
    [WrittenOnce] public long InboxId { get; set; }
    /// <summary>The agent the message comes from; null: from the inbox (no sender).</summary>
    public long? SenderId { get; set; }
    public bool Enabled { get; set; }
    /// <summary>trigger_rules.url: a URL pattern (<c>*</c> matches any run of characters; CampaignRules.UrlMatches).</summary>
    public string TriggerUrl { get; set; } = "";
    /// <summary>trigger_rules.time_on_page, in seconds.</summary>
    public int TimeOnPage { get; set; }
    public bool TriggerOnlyDuringBusinessHours { get; set; }
    [WrittenOnce] public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}
