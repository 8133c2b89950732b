using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Labels;

/// <summary>An administrator adds an account label (Chatwoot's <c>labels#create</c>): a title no other label has (in
/// any case), at most Limits:MaxLabelsPerAccount labels.</summary>
public sealed record CreateLabel(string? Title, string? Description, string? Color, bool? ShowOnSidebar) : ICommand<LabelDto>;

public sealed class CreateLabelValidator : AbstractValidator<CreateLabel>
{
    public CreateLabelValidator(ChatLimits limits)
    {
        RuleFor(c => c.Title).NotEmpty().WithMessage("title is required").LabelTitle(limits).OverridePropertyName("title");
        RuleFor(c => c.Description).LabelDescription().OverridePropertyName("description");
        RuleFor(c => c.Color).LabelColor().OverridePropertyName("color");
    }
}

public sealed class CreateLabelHandler(RateLimits rateLimits, ChatLimits limits) : ICommandHandler<CreateLabel, LabelDto>
{
    public void Authorize(Caller caller, CreateLabel command)
    {
        LabelRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<LabelDto> HandleAsync(CreateLabel command, CommandContext context)
    {
        var title = LabelRules.Normalize(command.Title!);
        if (await context.Store.FindLabelByTitleAsync(title) is not null) throw ChatException.Invalid("title", "title has already been taken");
        if ((await context.Store.ListLabelsAsync()).Count >= limits.MaxLabelsPerAccount)
            throw ChatException.Invalid("title", $"an account has at most {limits.MaxLabelsPerAccount} labels");
        var now = Clock.NowMs();
        var label = new LabelRow
        {
            Title = title,
            Description = command.Description,
            Color = command.Color ?? LabelRules.DefaultColor,
            ShowOnSidebar = command.ShowOnSidebar ?? false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        label.Id = await context.Store.InsertLabelAsync(label);
        return LabelMapper.ToDto(label);
    }
}
