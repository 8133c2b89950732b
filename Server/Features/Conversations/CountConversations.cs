using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>How many conversations of the agent's inboxes (one inbox if asked) with a status (open by default, or
/// "all") are the agent's own, assigned to anyone, unassigned, and in all: the counts Chatwoot's conversation list
/// shows in its <c>meta</c>, for the same filter as <see cref="ListConversations"/> (labels and q included).</summary>
public sealed record CountConversations(string? Status, long? InboxId, IReadOnlyList<string?>? Labels = null, string? Q = null, long? TeamId = null)
    : IQuery<ConversationCounts>;

public sealed record ConversationCounts(int Mine, int Assigned, int Unassigned, int All);

public sealed class CountConversationsValidator : AbstractValidator<CountConversations>
{
    public CountConversationsValidator(ChatLimits limits)
    {
        RuleFor(q => q.Status).Must(s => s is null || ListConversationsValidator.Statuses.Contains(s))
            .WithMessage("status must be open, pending, resolved or all").OverridePropertyName("status");
        RuleFor(q => q.Labels).LabelTitles(limits).OverridePropertyName("labels");
        RuleFor(q => q.Q).MaximumLength(SearchContactsValidator.MaxQueryLength).WellFormed().OverridePropertyName("q");
    }
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
        var search = ListConversationsHandler.Search(query.Q);
        var (status, labels) = (ListConversationsHandler.StatusOf(query.Status, search), ListConversationsHandler.StoredLabels(query.Labels));
        async ValueTask<int> Count(long? assigneeId, bool unassignedOnly) => (await store.ListConversationsAsync(
            new ConversationFilter(inboxIds, status, assigneeId, unassignedOnly, 0, 0, Labels: labels, Search: search, TeamId: query.TeamId))).Total;
        var all = await Count(null, false);
        var unassigned = await Count(null, true);
        return new ConversationCounts(await Count(caller.Id, false), all - unassigned, unassigned, all);
    }
}
