using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>How many conversations of the agent's inboxes (one inbox if asked) with a status (open by default, or
/// "all") are the agent's own, assigned to anyone, unassigned, and in all: the counts Chatwoot's conversation list
/// shows in its <c>meta</c>, for the same filter as <see cref="ListConversations"/>.</summary>
public sealed record CountConversations(string? Status, long? InboxId) : IQuery<ConversationCounts>;

public sealed record ConversationCounts(int Mine, int Assigned, int Unassigned, int All);

public sealed class CountConversationsValidator : AbstractValidator<CountConversations>
{
    public CountConversationsValidator() =>
        RuleFor(q => q.Status).Must(s => s is null || ListConversationsValidator.Statuses.Contains(s))
            .WithMessage("status must be open, pending, resolved or all").OverridePropertyName("status");
}

public sealed class CountConversationsHandler : IQueryHandler<CountConversations, ConversationCounts>
{
    public void Authorize(Caller caller, CountConversations query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<ConversationCounts> HandleAsync(CountConversations query, QueryContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        var inboxIds = await ConversationChanges.AgentInboxesAsync(store, caller, query.InboxId);
        var wanted = query.Status ?? Contracts.ConversationStatuses.Open;
        var status = wanted == "all" ? null : wanted;
        async ValueTask<int> Count(long? assigneeId, bool unassignedOnly) =>
            (await store.ListConversationsAsync(new ConversationFilter(inboxIds, status, assigneeId, unassignedOnly, 0, 0))).Total;
        var all = await Count(null, false);
        var unassigned = await Count(null, true);
        return new ConversationCounts(await Count(caller.Id, false), all - unassigned, unassigned, all);
    }
}
