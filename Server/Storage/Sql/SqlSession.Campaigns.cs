namespace ChatHub.Server.Storage.Sql;

/// <summary>Campaigns over SQL (issue 27): a few rows, found by id or listed (all, or an inbox's), newest first.</summary>
internal sealed partial class SqlSession
{
    private static readonly SqlTable<CampaignRow> Campaigns = new("campaigns");
    private static readonly string ListCampaigns = $"{Campaigns.Select} ORDER BY id DESC";
    private static readonly string ListCampaignsOfInbox = $"{Campaigns.Select} WHERE inbox_id = @inboxId ORDER BY id DESC";
    private static readonly string GetCampaign = $"{Campaigns.Select} WHERE id = @id";
    private static readonly string InsertCampaign = Campaigns.Insert();
    private static readonly string UpdateCampaign = Campaigns.Update([]);
    private const string DeleteCampaign = "DELETE FROM campaigns WHERE id = @id";

    public async ValueTask<IReadOnlyList<CampaignRow>> ListCampaignsAsync() => await Many(ListCampaigns, Campaigns.Read);
    public async ValueTask<IReadOnlyList<CampaignRow>> ListCampaignsOfInboxAsync(long inboxId) =>
        await Many(ListCampaignsOfInbox, Campaigns.Read, ("@inboxId", inboxId));
    public ValueTask<CampaignRow?> GetCampaignAsync(long id) => One(GetCampaign, Campaigns.Read, ("@id", id));

    public ValueTask<long> InsertCampaignAsync(CampaignRow campaign) => Insert(InsertCampaign, Campaigns.InsertArgs(campaign));

    public async ValueTask UpdateCampaignAsync(CampaignRow campaign)
    {
        Writer();
        await Execute(UpdateCampaign, Campaigns.UpdateArgs(campaign, []));
    }

    public async ValueTask<bool> DeleteCampaignAsync(long id)
    {
        Writer();
        return await Execute(DeleteCampaign, ("@id", id)) > 0;
    }
}
