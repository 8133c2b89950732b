using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Reports on LiteDB (issue 25): the conversations of a period as four range scans of the conversation's own
/// time fields (each indexed, <see cref="ReportTimes"/>), each conversation once.</summary>
internal sealed partial class LiteDbSession
{
    private IReadOnlyList<ReportFactRow> ListReportFacts(ReportQuery q)
    {
        var facts = new Dictionary<long, ReportFactRow>();
        foreach (var field in ReportTimes)
        {
            var query = _conversations.Query().Where(LiteDbQueries.Between(field, q.From, q.To - 1));
            if (q.InboxId is { } inboxId) query = query.Where(LiteDbQueries.Equal("inbox_id", inboxId));
            if (q.AssigneeId is { } assigneeId) query = query.Where(LiteDbQueries.Equal("assignee_id", assigneeId));
            foreach (var document in query.ToEnumerable())
            {
                if (facts.Count >= q.Limit) return facts.Values.ToList();
                facts.TryAdd(document["_id"].AsInt64, ToReportFact(document));
            }
        }
        return facts.Values.ToList();
    }

    public ValueTask<IReadOnlyList<ReportFactRow>> ListReportFactsAsync(ReportQuery query) => new(ListReportFacts(query));
}
