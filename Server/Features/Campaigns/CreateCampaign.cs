using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Campaigns;

/// <summary>An administrator adds a campaign to an inbox (Chatwoot's <c>campaigns#create</c>), at most
/// Limits:MaxCampaigns in the account; the sender, when named, must be an agent (active).</summary>
public sealed record CreateCampaign(
    string? Title, string? Description, string? Message, long? InboxId, long? SenderId, bool? Enabled, string? TriggerUrl, int? TimeOnPage,
    bool? TriggerOnlyDuringBusinessHours) : ICommand<CampaignDto>;

public sealed class CreateCampaignValidator : AbstractValidator<CreateCampaign>
{
    public CreateCampaignValidator()
    {
        RuleFor(c => c.Title).NotNull().WithMessage("title is required").Title().OverridePropertyName("title");
        RuleFor(c => c.Description).Description().OverridePropertyName("description");
        RuleFor(c => c.Message).NotNull().WithMessage("message is required").Message().OverridePropertyName("message");
        RuleFor(c => c.InboxId).NotNull().WithMessage("inbox_id is required").OverridePropertyName("inbox_id");
        RuleFor(c => c.TriggerUrl).NotNull().WithMessage("trigger_rules.url is required").UrlPattern().OverridePropertyName("trigger_rules");
        RuleFor(c => c.TimeOnPage).TimeOnPage().OverridePropertyName("trigger_rules");
    }
}

public sealed class CreateCampaignHandler(RateLimits rateLimits, ChatLimits limits) : ICommandHandler<CreateCampaign, CampaignDto>
{
    /// <summary>Chatwoot's default time on page.</summary>
    public const int DefaultTimeOnPage = 10;

    public void Authorize(Caller caller, CreateCampaign command)
    {
        CampaignRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<CampaignDto> HandleAsync(CreateCampaign command, CommandContext context)
    {
        var store = context.Store;
        var inbox = await store.GetInboxAsync(command.InboxId!.Value) ?? throw ChatException.Invalid("inbox_id", "inbox_id names no inbox");
        var sender = await CampaignSenders.FindAsync(store, command.SenderId);
        if ((await store.ListCampaignsAsync()).Count >= limits.MaxCampaigns)
            throw ChatException.Invalid("title", $"an account has at most {limits.MaxCampaigns} campaigns");
        var now = Clock.NowMs();
        var row = new CampaignRow
        {
            Title = command.Title!.Trim(), Description = command.Description, Message = command.Message!, InboxId = inbox.Id, SenderId = sender?.Id,
            Enabled = command.Enabled ?? true, TriggerUrl = command.TriggerUrl!, TimeOnPage = command.TimeOnPage ?? DefaultTimeOnPage,
            TriggerOnlyDuringBusinessHours = command.TriggerOnlyDuringBusinessHours ?? false, CreatedAt = now, UpdatedAt = now,
        };
        row.Id = await store.InsertCampaignAsync(row);
        return CampaignMapper.ToDto(row, inbox, sender);
    }
}

/// <summary>A campaign's sender: an active agent, or none.</summary>
public static class CampaignSenders
{
    public static async ValueTask<AgentRow?> FindAsync(IStoreReader store, long? senderId)
    {
        if (senderId is not { } id) return null;
        var agent = await store.GetAgentAsync(id);
        return agent is { DeactivatedAt: null } ? agent : throw ChatException.Invalid("sender_id", "sender_id names no active agent");
    }
}
