using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Labels;

/// <summary>An administrator changes a label (Chatwoot's <c>labels#update</c>; what is left out stays). A new title
/// applies to the conversations labelled from then on: those that carry the old title keep it (conversations hold
/// titles, docs/chatwoot.md).</summary>
public sealed record UpdateLabel(long Id, string? Title, string? Description, string? Color, bool? ShowOnSidebar) : ICommand<LabelDto>;

public sealed class UpdateLabelValidator : AbstractValidator<UpdateLabel>
{
    public UpdateLabelValidator(ChatLimits limits)
    {
        RuleFor(c => c.Title).Must(t => t is null || t.Length > 0).WithMessage("title must not be empty").LabelTitle(limits).OverridePropertyName("title");
        RuleFor(c => c.Description).LabelDescription().OverridePropertyName("description");
        RuleFor(c => c.Color).LabelColor().OverridePropertyName("color");
    }
}

public sealed class UpdateLabelHandler(RateLimits rateLimits) : ICommandHandler<UpdateLabel, LabelDto>
{
    public void Authorize(Caller caller, UpdateLabel command)
    {
        LabelRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<LabelDto> HandleAsync(UpdateLabel command, CommandContext context)
    {
        var label = await context.Store.GetLabelAsync(command.Id) ?? throw ChatException.NotFound("label");
        if (command.Title is { } wanted && LabelRules.Normalize(wanted) is var title && title != label.Title)
        {
            if (await context.Store.FindLabelByTitleAsync(title) is not null) throw ChatException.Invalid("title", "title has already been taken");
            label.Title = title;
        }
        if (command.Description is not null) label.Description = command.Description;
        if (command.Color is not null) label.Color = command.Color;
        if (command.ShowOnSidebar is { } show) label.ShowOnSidebar = show;
        label.UpdatedAt = Clock.NowMs();
        await context.Store.UpdateLabelAsync(label);
        return LabelMapper.ToDto(label);
    }
}
