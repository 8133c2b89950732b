using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Labels;

/// <summary>Every agent lists the account's labels (Chatwoot's LabelPolicy#index?), by title.</summary>
public sealed record ListLabels : IQuery<IReadOnlyList<LabelDto>>;

public sealed class ListLabelsHandler : IQueryHandler<ListLabels, IReadOnlyList<LabelDto>>
{
    public void Authorize(Caller caller, ListLabels query) => LabelRules.RequireAgent(caller);

    public async ValueTask<IReadOnlyList<LabelDto>> HandleAsync(ListLabels query, QueryContext context) =>
        (await context.Store.ListLabelsAsync()).Select(LabelMapper.ToDto).ToList();
}
