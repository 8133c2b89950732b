using static ChatHub.Server.Storage.Sql.SqlStatements;

namespace ChatHub.Server.Storage.Sql;

/// <summary>Message search over SQL (issue 25): the page of ids along the engine's full-text index
/// (<see cref="SqlDialect.SearchMessageIds"/>), then those messages, newest first.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<IReadOnlyList<MessageRow>> SearchMessagesAsync(MessageSearch search)
    {
        if (search.Words.Count == 0 || search.Limit <= 0 || search.InboxIds is { Count: 0 }) return [];
        var sql = $"{Messages.Select} WHERE id IN ({_dialect.SearchMessageIds(search.InboxIds is null)}) ORDER BY id DESC";
        return await Many(sql, Messages.Read, Referenced(sql, [("@words", _dialect.SearchQuery(search.Words)),
            ("@inboxIds", search.InboxIds is null ? null : _dialect.IdList(search.InboxIds)), ("@limit", search.Limit), ("@offset", search.Offset)]));
    }
}
