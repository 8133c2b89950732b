using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Canned responses on LiteDB (issue 25): a few documents, found by id or by their unique short code.</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> CannedResponseRows => db.GetCollection(CannedResponses);

    private IReadOnlyList<CannedResponseRow> ListCannedResponses() =>
        CannedResponseRows.FindAll().Select(ToCannedResponse).OrderBy(c => c.ShortCode, StringComparer.Ordinal).ToList();
    private CannedResponseRow? GetCannedResponse(long id) => CannedResponseRows.FindById(id) is { } d ? ToCannedResponse(d) : null;
    private CannedResponseRow? FindCannedResponseByShortCode(string shortCode) =>
        Equal(CannedResponseRows, CannedResponseShortCode, shortCode).Select(ToCannedResponse).FirstOrDefault(c => c.ShortCode == shortCode);

    private long InsertCannedResponse(CannedResponseRow row) => Insert(CannedResponseRows, WithId(ToDocument(row), Ids.Next(CannedResponses)));

    private void UpdateCannedResponse(CannedResponseRow row)
    {
        _ = Ids;
        if (GetCannedResponse(row.Id) is not { } stored) return;
        RowShape<CannedResponseRow>.Instance.CopyChangeable(row, stored);
        Writes.Update(CannedResponseRows, ToDocument(stored));
    }

    private bool DeleteCannedResponse(long id)
    {
        _ = Ids;
        return Writes.Delete(CannedResponseRows, id);
    }

    public ValueTask<IReadOnlyList<CannedResponseRow>> ListCannedResponsesAsync() => new(ListCannedResponses());
    public ValueTask<CannedResponseRow?> GetCannedResponseAsync(long id) => new(GetCannedResponse(id));
    public ValueTask<CannedResponseRow?> FindCannedResponseByShortCodeAsync(string shortCode) => new(FindCannedResponseByShortCode(shortCode));
    public ValueTask<long> InsertCannedResponseAsync(CannedResponseRow row) => new(InsertCannedResponse(row));
    public ValueTask UpdateCannedResponseAsync(CannedResponseRow row) { UpdateCannedResponse(row); return default; }
    public ValueTask<bool> DeleteCannedResponseAsync(long id) => new(DeleteCannedResponse(id));
}
