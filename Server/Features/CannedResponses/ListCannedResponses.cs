using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.CannedResponses;

/// <summary>Every agent lists the account's canned responses (Chatwoot's <c>canned_responses#index</c>), by short code;
/// with <c>search</c>, only those whose short code or content contains it (ignoring case), those whose short code starts
/// with it first. The account holds at most Limits:MaxCannedResponses, so the filter runs over the list in memory, the
/// same on every store.</summary>
public sealed record ListCannedResponses(string? Search = null) : IQuery<IReadOnlyList<CannedResponseDto>>;

public sealed class ListCannedResponsesValidator : AbstractValidator<ListCannedResponses>
{
    public ListCannedResponsesValidator()
    {
        RuleFor(q => q.Search).MaximumLength(CannedResponseRules.MaxSearchLength)
            .WithMessage($"search must be at most {CannedResponseRules.MaxSearchLength} characters").WellFormed().OverridePropertyName("search");
    }
}

public sealed class ListCannedResponsesHandler : IQueryHandler<ListCannedResponses, IReadOnlyList<CannedResponseDto>>
{
    public void Authorize(Caller caller, ListCannedResponses query) => CannedResponseRules.RequireAgent(caller);

    public async ValueTask<IReadOnlyList<CannedResponseDto>> HandleAsync(ListCannedResponses query, QueryContext context)
    {
        var rows = await context.Store.ListCannedResponsesAsync();
        if (string.IsNullOrEmpty(query.Search)) return rows.Select(CannedResponseMapper.ToDto).ToList();
        var search = query.Search;
        return rows.Where(c => CannedResponseRules.Matches(c.ShortCode, c.Content, search))
            .OrderBy(c => c.ShortCode.StartsWith(search, StringComparison.OrdinalIgnoreCase) ? 0 : 1) // stable: by short code within
            .Select(CannedResponseMapper.ToDto).ToList();
    }
}
