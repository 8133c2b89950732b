using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Conversations;

/// <summary>A contact's own conversations (every status unless asked), or an agent's inboxes' conversations
/// (open by default), newest activity first, a page at a time. For an agent, as Chatwoot's ConversationFinder:
/// <paramref name="Labels"/> keeps the conversations that carry any of them, and <paramref name="Q"/> the one whose id
/// it is or those whose contact's name, email, phone number or identifier contains it, of every status unless a
/// status is asked (Chatwoot's finder applies no status to a search). A contact's list takes neither.</summary>
public sealed record ListConversations(string? Status, long? InboxId, string? Assignee, int? Page,
    IReadOnlyList<string?>? Labels = null, string? Q = null, long? AssigneeId = null, long? TeamId = null) : IQuery<ConversationPage>;

public sealed record ConversationPage(IReadOnlyList<ConversationDto> Conversations, int Total, int Page);

public sealed class ListConversationsValidator : AbstractValidator<ListConversations>
{
    public static readonly string[] Statuses = [.. ConversationStatuses.All, "all"];
    /// <summary>Chatwoot's assignee_type values: mine, nobody's, someone's, and every conversation.</summary>
    public static readonly string[] Assignees = ["me", "unassigned", "assigned", "all"];

    public ListConversationsValidator(ChatLimits limits)
    {
        RuleFor(q => q.Labels).LabelTitles(limits).OverridePropertyName("labels");
        RuleFor(q => q.Q).MaximumLength(SearchContactsValidator.MaxQueryLength).WellFormed().OverridePropertyName("q");
        RuleFor(q => q.Status).Must(s => s is null || Statuses.Contains(s))
            .WithMessage("status must be open, pending, resolved or all").OverridePropertyName("status");
        RuleFor(q => q.Assignee).Must(a => a is null || Assignees.Contains(a))
            .WithMessage("assignee must be me, unassigned, assigned or all").OverridePropertyName("assignee");
        RuleFor(q => q.TeamId).Must(id => id is null or > 0).WithMessage("team_id must be a team id").OverridePropertyName("team_id");
        RuleFor(q => q.AssigneeId).Must(id => id is null or > 0).WithMessage("assignee_id must be an agent id").OverridePropertyName("assignee_id");
        RuleFor(q => q.Page).Must(p => p is null or >= 1 and <= 100_000).WithMessage("page must be 1 or more").OverridePropertyName("page");
    }
}

public sealed class ListConversationsHandler(IOptions<ChatLimits> limits) : IQueryHandler<ListConversations, ConversationPage>
{
    public async ValueTask<ConversationPage> HandleAsync(ListConversations query, QueryContext context)
    {
        var (store, caller) = (context.Store, context.Caller);
        var page = query.Page ?? 1;
        var size = limits.Value.ConversationsPageSize;
        IReadOnlyList<ConversationRow> rows;
        int total;
        if (caller.IsContact)
        {
            var status = query.Status is null or "all" ? null : query.Status;
            var own = (await store.ListConversationsOfContactAsync(caller.Id)).Where(c => status is null || c.Status == status).ToList();
            (rows, total) = (own.Skip((page - 1) * size).Take(size).ToList(), own.Count);
        }
        else
        {
            var inboxIds = await ConversationChanges.AgentInboxesAsync(store, caller, query.InboxId);
            var (labels, search) = (StoredLabels(query.Labels), Search(query.Q));
            var filter = new ConversationFilter(inboxIds, StatusOf(query.Status, search), query.AssigneeId ?? (query.Assignee == "me" ? caller.Id : null),
                query.Assignee == "unassigned", (page - 1) * size, size, AssignedOnly: query.Assignee == "assigned", labels, search, query.TeamId);
            (rows, total) = await store.ListConversationsAsync(filter);
        }
        var dtos = new List<ConversationDto>(rows.Count);
        foreach (var c in rows)
            dtos.Add(await ConversationChanges.AnswerAsync(store, c, caller.IsContact,
                await ConversationChanges.LatestMessagesAsync(store, c, caller.IsContact, limits.Value.DefaultPageSize)));
        return new ConversationPage(dtos, total, page);
    }

    /// <summary>The status a list or count keeps: the one asked, none for "all" or for a search without one (Chatwoot's
    /// finder skips its status filter when q is given), open otherwise.</summary>
    internal static string? StatusOf(string? asked, string? search) =>
        asked == "all" || (asked is null && search is not null) ? null : asked ?? ConversationStatuses.Open;

    /// <summary>The asked titles in their stored (lower-case) form, null when none.</summary>
    internal static IReadOnlyList<string>? StoredLabels(IReadOnlyList<string?>? asked) =>
        asked is { Count: > 0 } ? asked.Select(t => LabelRules.Normalize(t!)).Distinct().ToList() : null;

    internal static string? Search(string? q) => string.IsNullOrWhiteSpace(q) ? null : q.Trim();
}
