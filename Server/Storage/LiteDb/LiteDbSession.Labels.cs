using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Account labels on LiteDB (a few rows, found by id or by their unique title key), and the snooze sweep's
/// query: a range of the snooze key (snooze end|id), which only conversations snoozed until a time have.</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> LabelRows => db.GetCollection(Labels);

    private IReadOnlyList<long> ListSnoozeEnded(long now, int max) =>
        Range(_conversations, ConversationSnooze, ("", Key.Number(now) + "|\uffff"), descending: false, limit: max).Select(ToConversation)
            .Where(c => c.Status == global::ChatHub.Contracts.ConversationStatuses.Snoozed && c.SnoozedUntil <= now).Select(c => c.Id).ToList();

    private IReadOnlyList<LabelRow> ListLabels() => LabelRows.FindAll().Select(ToLabel).OrderBy(l => l.Title, StringComparer.Ordinal).ToList();
    private LabelRow? GetLabel(long id) => LabelRows.FindById(id) is { } d ? ToLabel(d) : null;
    private LabelRow? FindLabelByTitle(string title) => Equal(LabelRows, LabelTitle, title).Select(ToLabel).FirstOrDefault(l => l.Title == title);

    private long InsertLabel(LabelRow label) => Insert(LabelRows, WithId(ToDocument(label), Ids.Next(Labels)));

    private void UpdateLabel(LabelRow label)
    {
        _ = Ids;
        if (GetLabel(label.Id) is not { } stored) return;
        RowShape<LabelRow>.Instance.CopyChangeable(label, stored);
        Writes.Update(LabelRows, ToDocument(stored));
    }

    private bool DeleteLabel(long id)
    {
        _ = Ids;
        return Writes.Delete(LabelRows, id);
    }

    public ValueTask<IReadOnlyList<long>> ListSnoozeEndedAsync(long now, int max) => new(ListSnoozeEnded(now, max));
    public ValueTask<IReadOnlyList<LabelRow>> ListLabelsAsync() => new(ListLabels());
    public ValueTask<LabelRow?> GetLabelAsync(long id) => new(GetLabel(id));
    public ValueTask<LabelRow?> FindLabelByTitleAsync(string title) => new(FindLabelByTitle(title));
    public ValueTask<long> InsertLabelAsync(LabelRow label) => new(InsertLabel(label));
    public ValueTask UpdateLabelAsync(LabelRow label) { UpdateLabel(label); return default; }
    public ValueTask<bool> DeleteLabelAsync(long id) => new(DeleteLabel(id));
}
