using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Reports;

/// <summary>An administrator reads a report (issue 25) of the period [<see cref="Since"/>, <see cref="Until"/>) (Unix
/// seconds, as Chatwoot's since and until), cut into the days of <see cref="TimeZone"/> (an IANA id; UTC when none),
/// of one inbox and/or one agent (the conversations assigned to it) when given. At most Reports:MaxDays long; a period
/// with more than Reports:MaxConversations conversations is refused.</summary>
public sealed record GetReport(long? Since, long? Until, string? TimeZone = null, long? InboxId = null, long? AgentId = null) : IQuery<Report>;

/// <summary>A report: the whole period's figures, each day's, and the CSAT answers of the period (the latest first).</summary>
public sealed record Report(GetReport Query, string TimeZone, ReportFigures.Figures Summary, IReadOnlyList<ReportFigures.DayFigures> Days,
    IReadOnlyList<CsatAnswer> CsatAnswers);

/// <summary>One customer's latest CSAT answer on a conversation, with the names a CSV shows.</summary>
public sealed record CsatAnswer(long ConversationId, long InboxId, string? InboxName, long? AgentId, string? AgentName, int Rating,
    string? Comment, long At);

public sealed class GetReportValidator : AbstractValidator<GetReport>
{
    /// <summary>Characters of a time zone's id (the longest IANA id has 32).</summary>
    public const int MaxTimeZoneLength = 64;

    public GetReportValidator(IOptions<ReportOptions> options)
    {
        var maxDays = options.Value.MaxDays;
        RuleFor(q => q.Since).NotNull().WithMessage("since is required (Unix seconds)")
            .Must(s => s is null || s >= 0 && s <= DateTimeOffset.MaxValue.ToUnixTimeSeconds() / 2).WithMessage("since is out of range")
            .OverridePropertyName("since");
        RuleFor(q => q.Until).NotNull().WithMessage("until is required (Unix seconds)")
            .Must((q, u) => u is null || q.Since is null || u > q.Since).WithMessage("until must be after since")
            .Must((q, u) => u is null || q.Since is null || u - q.Since <= maxDays * 86_400L + 3_600)
            .WithMessage($"a report covers at most {maxDays} days")
            .OverridePropertyName("until");
        RuleFor(q => q.TimeZone).Must(z => z is null || z.Length <= MaxTimeZoneLength && ReportDays.Zone(z) is not null)
            .WithMessage("timezone must be a time zone id such as Europe/Berlin").OverridePropertyName("timezone");
    }
}

public sealed class GetReportHandler(IOptions<ReportOptions> options, ReportBudget budget) : IQueryHandler<GetReport, Report>
{
    public void Authorize(Caller caller, GetReport query)
    {
        if (!caller.IsAgent || !caller.IsAdministrator) throw ChatException.Forbidden("administrators only");
        budget.Take(caller.Id);
    }

    public async ValueTask<Report> HandleAsync(GetReport query, QueryContext context)
    {
        var store = context.Store;
        if (query.InboxId is { } inboxId && await store.GetInboxAsync(inboxId) is null) throw ChatException.NotFound("inbox");
        if (query.AgentId is { } agentId && await store.GetAgentAsync(agentId) is null) throw ChatException.NotFound("agent");
        var zoneId = query.TimeZone ?? "UTC";
        var zone = ReportDays.Zone(zoneId)!;
        var (from, to) = (query.Since!.Value * 1000, query.Until!.Value * 1000);
        var max = options.Value.MaxConversations;
        var facts = await store.ListReportFactsAsync(new ReportQuery(from, to, query.InboxId, query.AgentId, max + 1));
        if (facts.Count > max)
            throw ChatException.Invalid("until", $"the period has more than {max} conversations with activity; ask for a shorter one");

        var inboxes = (await store.ListInboxesAsync()).ToDictionary(i => i.Id, i => i.Name);
        var agents = (await store.ListAgentsAsync()).ToDictionary(a => a.Id, a => a.Name);
        var answers = facts.Where(f => f.CsatAt is { } at && at >= from && at < to && f.CsatRating is >= 1 and <= 5)
            .OrderByDescending(f => f.CsatAt).ThenByDescending(f => f.Id)
            .Select(f => new CsatAnswer(f.Id, f.InboxId, inboxes.GetValueOrDefault(f.InboxId), f.AssigneeId,
                f.AssigneeId is { } a ? agents.GetValueOrDefault(a) : null, f.CsatRating!.Value, f.CsatComment, f.CsatAt!.Value))
            .ToList();
        return new Report(query, zone.Id, ReportFigures.Of(facts, from, to), ReportFigures.PerDay(facts, ReportDays.Of(from, to, zone)), answers);
    }
}
