using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>An administrator changes a campaign (Chatwoot's <c>campaigns#update</c>; what is left out stays, and
/// trigger_rules' fields one by one). <paramref name="ClearSender"/>: sender_id was sent as null (the inbox sends it
/// from then on). A campaign stays in its inbox.</summary>
public sealed record UpdateCampaign(
    long Id, string? Title, string? Description, string? Message, long? InboxId, long? SenderId, bool ClearSender, bool? Enabled,
    string? TriggerUrl, int? TimeOnPage, bool? TriggerOnlyDuringBusinessHours) : ICommand<CampaignDto>;

public sealed class UpdateCampaignValidator : AbstractValidator<UpdateCampaign>
{
    public UpdateCampaignValidator()
    {
        RuleFor(c => c.Title).Title().OverridePropertyName("title");
        RuleFor(c => c.Description).Description().OverridePropertyName("description");
        RuleFor(c => c.Message).Message().OverridePropertyName("message");
        RuleFor(c => c.TriggerUrl).UrlPattern().OverridePropertyName("trigger_rules");
        RuleFor(c => c.TimeOnPage).TimeOnPage().OverridePropertyName("trigger_rules");
    }
}

public sealed class UpdateCampaignHandler(RateLimits rateLimits) : ICommandHandler<UpdateCampaign, CampaignDto>
{
    public void Authorize(Caller caller, UpdateCampaign command)
    {
        CampaignRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<CampaignDto> HandleAsync(UpdateCampaign command, CommandContext context)
    {
        var store = context.Store;
        var row = await store.GetCampaignAsync(command.Id) ?? throw ChatException.NotFound("campaign");
        if (command.InboxId is { } inboxId && inboxId != row.InboxId)
            throw ChatException.Invalid("inbox_id", "a campaign stays in its inbox: create one in the other inbox");
        if (command.ClearSender) row.SenderId = null;
        else if (command.SenderId is not null) row.SenderId = (await CampaignSenders.FindAsync(store, command.SenderId))!.Id;
        if (command.Title is { } title) row.Title = title.Trim();
        if (command.Description is not null) row.Description = command.Description;
        if (command.Message is not null) row.Message = command.Message;
        if (command.Enabled is { } enabled) row.Enabled = enabled;
        if (command.TriggerUrl is not null) row.TriggerUrl = command.TriggerUrl;
        if (command.TimeOnPage is { } seconds) row.TimeOnPage = seconds;
        if (command.TriggerOnlyDuringBusinessHours is { } businessHours) row.TriggerOnlyDuringBusinessHours = businessHours;
        row.UpdatedAt = Clock.NowMs();
        await store.UpdateCampaignAsync(row);
        var sender = row.SenderId is { } senderId ? await store.GetAgentAsync(senderId) : null;
        return CampaignMapper.ToDto(row, await store.GetInboxAsync(row.InboxId), sender);
    }
}
