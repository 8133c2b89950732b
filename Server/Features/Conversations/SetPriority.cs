using ChatHub.Server.Application.Events;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>An agent sets a conversation's priority (Chatwoot's <c>toggle_priority</c>): low, medium, high, urgent,
/// or none (null or empty, as Chatwoot's <c>priority.presence</c>). A change takes a seq, writes an activity line and
/// raises conversation_updated, for the agents only; setting the priority it has changes nothing.</summary>
public sealed record SetPriority(long ConversationId, string? Priority) : ICommand<ConversationDto>, IConversationCommand;

public sealed class SetPriorityValidator : AbstractValidator<SetPriority>
{
    public SetPriorityValidator()
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.Priority).Must(p => string.IsNullOrEmpty(p) || ConversationPriorities.All.Contains(p))
            .WithMessage("priority must be urgent, high, medium, low or null").OverridePropertyName("priority");
    }
}

public sealed class SetPriorityHandler(RateLimits rateLimits) : ICommandHandler<SetPriority, ConversationDto>
{
    public void Authorize(Caller caller, SetPriority command)
    {
        LabelRules.RequireAgent(caller);
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
    }

    public async ValueTask<ConversationDto> HandleAsync(SetPriority command, CommandContext context)
    {
        var c = await ConversationAccess.ForUpdateAsync(context.Store, context.Caller, command.ConversationId);
        var priority = string.IsNullOrEmpty(command.Priority) ? null : command.Priority;
        if (c.Priority == priority) return await ConversationChanges.AnswerAsync(context.Store, c, forContact: false);

        var previous = c.Priority;
        c.Priority = priority;
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        await ConversationChanges.UpdateAsync(context, c, contactStream, [new ChangedAttribute("priority", previous, priority)], visibleToContact: false);
        var who = Authors.Display(await Authors.OfCallerAsync(context.Store, context.Caller));
        await ConversationChanges.AppendActivityAsync(context, c, contactStream,
            priority is null ? $"{who} removed the priority" : $"{who} set the priority to {priority}");
        return await ConversationChanges.AnswerAsync(context.Store, c, forContact: false);
    }
}
