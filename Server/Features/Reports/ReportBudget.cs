using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Reports;

/// <summary>Reports:PerAdministratorPerMinute, per administrator, in memory on each node (as <see cref="RateLimits"/>): a
/// report reads up to Reports:MaxConversations rows, so nobody may ask for them in a tight loop. 0: no limit.</summary>
public sealed class ReportBudget(IOptions<ReportOptions> options) : IDisposable
{
    private readonly KeyedBudget _budget = new(options.Value.PerAdministratorPerMinute, TimeSpan.FromMinutes(1), "reports", zeroRefusesAll: false);

    /// <summary>Takes one of the administrator's reports, or throws rate_limited.</summary>
    public void Take(long agentId) => _budget.Take(agentId);

    public void Dispose() => _budget.Dispose();
}
