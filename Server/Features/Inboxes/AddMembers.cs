using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>An administrator adds agents to an inbox; their open connections start receiving its events.</summary>
public sealed record AddMembers(long InboxId, IReadOnlyList<long>? AgentIds) : ICommand<IReadOnlyList<long>>;

public sealed class AddMembersValidator : AbstractValidator<AddMembers>
{
    public AddMembersValidator()
    {
        RuleFor(c => c.AgentIds).NotEmpty().Must(ids => ids is null || ids.Count <= 1000).WithMessage("agent_ids has at most 1000 ids")
            .OverridePropertyName("agent_ids");
    }
}

public sealed class AddMembersHandler(RateLimits rateLimits) : ICommandHandler<AddMembers, IReadOnlyList<long>>
{
    public void Authorize(Caller caller, AddMembers command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<IReadOnlyList<long>> HandleAsync(AddMembers command, CommandContext context)
    {
        var store = context.Store;
        if (await store.GetInboxAsync(command.InboxId) is null) throw ChatException.NotFound("inbox");
        var agentIds = command.AgentIds!.Distinct().ToList();
        foreach (var agentId in agentIds)
        {
            if (await store.GetAgentAsync(agentId) is null) throw ChatException.Invalid("agent_ids", $"agent {agentId} does not exist");
            await store.AddMemberAsync(command.InboxId, agentId);
        }
        context.Raise(new InboxMembersAdded(command.InboxId, agentIds));
        return await store.MembersOfAsync(command.InboxId);
    }
}
