using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>An administrator adds agents to an inbox; their open connections start receiving its events.</summary>
public sealed record AddMembers(long InboxId, IReadOnlyList<long>? AgentIds) : ICommand<IReadOnlyList<long>>;

public sealed class AddMembersValidator : AbstractValidator<AddMembers>
{
    public AddMembersValidator()
    {
        RuleFor(c => c.AgentIds).MemberIds();
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
        var agentIds = await AddAsync(store, command.InboxId, command.AgentIds!.Distinct().ToList());
        context.Raise(new InboxMembersAdded(command.InboxId, agentIds));
        return await store.MembersOfAsync(command.InboxId);
    }

    /// <summary>Adds existing agents (also used by <see cref="SetMembersHandler"/>); an unknown id refuses the whole change.</summary>
    public static async ValueTask<IReadOnlyList<long>> AddAsync(IStoreTransaction store, long inboxId, IReadOnlyList<long> agentIds)
    {
        foreach (var agentId in agentIds)
        {
            if (await store.GetAgentAsync(agentId) is null) throw ChatException.Invalid("agent_ids", $"agent {agentId} does not exist");
            await store.AddMemberAsync(inboxId, agentId);
        }
        return agentIds;
    }
}
