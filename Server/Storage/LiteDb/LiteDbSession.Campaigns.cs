using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Campaigns on LiteDB (issue 27): a few documents, found by id or listed (all, or an inbox's by its index),
/// newest first.</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> CampaignRows => db.GetCollection(Campaigns);

    private IReadOnlyList<CampaignRow> ListCampaigns() => CampaignRows.FindAll().Select(ToCampaign).OrderByDescending(c => c.Id).ToList();
    private IReadOnlyList<CampaignRow> ListCampaignsOfInbox(long inboxId) =>
        CampaignRows.Find(Query.EQ(CampaignOfInbox, inboxId)).Select(ToCampaign).Where(c => c.InboxId == inboxId).OrderByDescending(c => c.Id).ToList();
    private CampaignRow? GetCampaign(long id) => CampaignRows.FindById(id) is { } d ? ToCampaign(d) : null;

    private long InsertCampaign(CampaignRow row) => Insert(CampaignRows, WithId(ToDocument(row), Ids.Next(Campaigns)));

    private void UpdateCampaign(CampaignRow row)
    {
        _ = Ids;
        if (GetCampaign(row.Id) is not { } stored) return;
        RowShape<CampaignRow>.Instance.CopyChangeable(row, stored);
        Writes.Update(CampaignRows, ToDocument(stored));
    }

    private bool DeleteCampaign(long id)
    {
        _ = Ids;
        return Writes.Delete(CampaignRows, id);
    }

    public ValueTask<IReadOnlyList<CampaignRow>> ListCampaignsAsync() => new(ListCampaigns());
    public ValueTask<IReadOnlyList<CampaignRow>> ListCampaignsOfInboxAsync(long inboxId) => new(ListCampaignsOfInbox(inboxId));
    public ValueTask<CampaignRow?> GetCampaignAsync(long id) => new(GetCampaign(id));
    public ValueTask<long> InsertCampaignAsync(CampaignRow row) => new(InsertCampaign(row));
    public ValueTask UpdateCampaignAsync(CampaignRow row) { UpdateCampaign(row); return default; }
    public ValueTask<bool> DeleteCampaignAsync(long id) => new(DeleteCampaign(id));
}
