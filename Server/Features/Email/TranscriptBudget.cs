using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Email;

/// <summary>Email:TranscriptsPerContactPerHour, per contact, in memory on each node (as <see cref="RateLimits"/>): a
/// transcript sends an email to an address the customer typed, so it is kept rare. 0 refuses every transcript.</summary>
public sealed class TranscriptBudget(IOptions<EmailOptions> options) : IDisposable
{
    private readonly KeyedBudget _budget = new(options.Value.TranscriptsPerContactPerHour, TimeSpan.FromHours(1), "transcripts", zeroRefusesAll: true);

    /// <summary>Takes one of the contact's transcripts, or throws rate_limited.</summary>
    public void Take(long contactId) => _budget.Take(contactId);

    public void Dispose() => _budget.Dispose();
}
