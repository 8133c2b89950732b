using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>An administrator removes agents from an inbox: they no longer see its conversations, and their open
/// connections stop receiving its events, on every node, before the administrator is answered. Removing an agent who
/// is no member is no error. Answers the members that remain.</summary>
public sealed record RemoveMembers(long InboxId, IReadOnlyList<long>? AgentIds) : ICommand<IReadOnlyList<long>>;

public sealed class RemoveMembersValidator : AbstractValidator<RemoveMembers>
{
    public RemoveMembersValidator() => RuleFor(c => c.AgentIds).MemberIds();
}

public sealed class RemoveMembersHandler(RateLimits rateLimits) : ICommandHandler<RemoveMembers, IReadOnlyList<long>>
{
    public void Authorize(Caller caller, RemoveMembers command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<IReadOnlyList<long>> HandleAsync(RemoveMembers command, CommandContext context)
    {
        var store = context.Store;
        if (await store.GetInboxAsync(command.InboxId) is null) throw ChatException.NotFound("inbox");
        var removed = await RemoveAsync(store, command.InboxId, command.AgentIds!.Distinct().ToList());
        if (removed.Count > 0) context.Raise(new InboxMembersRemoved(command.InboxId, removed));
        return await store.MembersOfAsync(command.InboxId);
    }

    /// <summary>Removes these agents (also used by <see cref="SetMembersHandler"/>); answers those that were members.</summary>
    public static async ValueTask<IReadOnlyList<long>> RemoveAsync(IStoreTransaction store, long inboxId, IReadOnlyList<long> agentIds)
    {
        var removed = new List<long>();
        foreach (var agentId in agentIds)
            if (await store.RemoveMemberAsync(inboxId, agentId)) removed.Add(agentId);
        return removed;
    }
}
