using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>An agent assigns a conversation to any active member of its inbox (a colleague, or itself), or clears the
/// assignee (null). The new assignee's consoles hear it as every agent of the inbox does (ConversationUpdated).</summary>
public sealed record Assign(long ConversationId, long? AgentId) : ICommand<ConversationDto>, IConversationCommand;

public sealed class AssignValidator : AbstractValidator<Assign>
{
    public AssignValidator()
    {
        RuleFor(c => c.ConversationId).ConversationId();
        RuleFor(c => c.AgentId).Must(id => id is null or > 0).WithMessage("assignee_id must be an agent id or null")
            .OverridePropertyName("assignee_id");
    }
}

public sealed class AssignHandler(RateLimits rateLimits) : ICommandHandler<Assign, ConversationDto>
{
    public void Authorize(Caller caller, Assign command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents assign conversations");
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
    }

    public async ValueTask<ConversationDto> HandleAsync(Assign command, CommandContext context)
    {
        var store = context.Store;
        var c = await ConversationAccess.ForUpdateAsync(store, context.Caller, command.ConversationId);
        var assignee = command.AgentId is { } agentId ? await store.GetAgentAsync(agentId) : null;
        if (command.AgentId is { } id && (assignee is null || assignee.DeactivatedAt is not null || !await store.IsMemberAsync(c.InboxId, id)))
            throw ChatException.Invalid("assignee_id", "the assignee must be an active agent of the conversation's inbox");
        if (c.AssigneeId == command.AgentId) return await ConversationChanges.AnswerAsync(store, c, false);

        var previous = c.AssigneeId;
        c.AssigneeId = command.AgentId;
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        await ConversationChanges.UpdateAsync(context, c, contactStream, [new ChangedAttribute("assignee_id", previous, c.AssigneeId)]);
        var actor = Authors.Display(await Authors.OfCallerAsync(store, context.Caller));
        await ConversationChanges.AppendActivityAsync(context, c, contactStream, assignee is not null
            ? $"Assigned to {assignee.Name} by {actor}"
            : $"Conversation unassigned by {actor}");
        return await ConversationChanges.AnswerAsync(store, c, false);
    }
}
