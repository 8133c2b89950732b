using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>An administrator makes an inbox's members exactly these agents (Chatwoot's <c>PATCH inbox_members</c>):
/// the missing ones are added, the others removed, with the effects of <see cref="AddMembers"/> and
/// <see cref="RemoveMembers"/>. Answers the members.</summary>
public sealed record SetMembers(long InboxId, IReadOnlyList<long>? AgentIds) : ICommand<IReadOnlyList<long>>;

public sealed class SetMembersValidator : AbstractValidator<SetMembers>
{
    public SetMembersValidator() => RuleFor(c => c.AgentIds).NotNull().Must(ids => ids is null || ids.Count <= InboxRules.MaxMemberIds)
        .WithMessage($"agent_ids has at most {InboxRules.MaxMemberIds} ids").OverridePropertyName("agent_ids");
}

public sealed class SetMembersHandler(RateLimits rateLimits) : ICommandHandler<SetMembers, IReadOnlyList<long>>
{
    public void Authorize(Caller caller, SetMembers command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<IReadOnlyList<long>> HandleAsync(SetMembers command, CommandContext context)
    {
        var store = context.Store;
        if (await store.GetInboxAsync(command.InboxId) is null) throw ChatException.NotFound("inbox");
        var wanted = command.AgentIds!.Distinct().ToList();
        var current = await store.MembersOfAsync(command.InboxId);
        var added = await AddMembersHandler.AddAsync(store, command.InboxId, wanted.Except(current).ToList());
        var removed = await RemoveMembersHandler.RemoveAsync(store, command.InboxId, current.Except(wanted).ToList());
        if (added.Count > 0) context.Raise(new InboxMembersAdded(command.InboxId, added));
        if (removed.Count > 0) context.Raise(new InboxMembersRemoved(command.InboxId, removed));
        return await store.MembersOfAsync(command.InboxId);
    }
}
