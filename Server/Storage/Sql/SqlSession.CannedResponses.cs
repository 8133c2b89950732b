namespace ChatHub.Server.Storage.Sql;

/// <summary>Canned responses over SQL (issue 25): a few rows, found by id or by their unique short code. The list is
/// sorted here, ordinally, so every engine (and every PostgreSQL collation) gives one order.</summary>
internal sealed partial class SqlSession
{
    private static readonly SqlTable<CannedResponseRow> CannedResponses = new("canned_responses");
    private static readonly string ListCannedResponses = CannedResponses.Select;
    private static readonly string GetCannedResponse = $"{CannedResponses.Select} WHERE id = @id";
    private static readonly string FindCannedResponseByShortCode = $"{CannedResponses.Select} WHERE short_code = @shortCode";
    private static readonly string InsertCannedResponse = CannedResponses.Insert();
    private static readonly string UpdateCannedResponse = CannedResponses.Update([]);
    private const string DeleteCannedResponse = "DELETE FROM canned_responses WHERE id = @id";

    public async ValueTask<IReadOnlyList<CannedResponseRow>> ListCannedResponsesAsync() =>
        (await Many(ListCannedResponses, CannedResponses.Read)).OrderBy(c => c.ShortCode, StringComparer.Ordinal).ToList();
    public ValueTask<CannedResponseRow?> GetCannedResponseAsync(long id) => One(GetCannedResponse, CannedResponses.Read, ("@id", id));
    public ValueTask<CannedResponseRow?> FindCannedResponseByShortCodeAsync(string shortCode) =>
        One(FindCannedResponseByShortCode, CannedResponses.Read, ("@shortCode", shortCode));

    public ValueTask<long> InsertCannedResponseAsync(CannedResponseRow cannedResponse) =>
        Insert(InsertCannedResponse, CannedResponses.InsertArgs(cannedResponse));

    public async ValueTask UpdateCannedResponseAsync(CannedResponseRow cannedResponse)
    {
        Writer();
        await Execute(UpdateCannedResponse, CannedResponses.UpdateArgs(cannedResponse, []));
    }

    public async ValueTask<bool> DeleteCannedResponseAsync(long id)
    {
        Writer();
        return await Execute(DeleteCannedResponse, ("@id", id)) > 0;
    }
}
