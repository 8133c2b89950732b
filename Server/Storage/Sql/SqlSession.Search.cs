using static ChatHub.Server.Storage.Sql.SqlStatements;

namespace ChatHub.Server.Storage.Sql;

/// <summary>Message search over SQL (issue 25): the page of ids along the engine's full-text index
/// (<see cref="SqlDialect.SearchMessageIds"/>), then those messages, newest first. Where the dialect reads matches in
/// ranges of ids (<see cref="SqlDialect.SearchWindow"/>), the ranges go back from the newest message, each twice as
/// wide as the one before, until the page is full or the first message is passed.</summary>
internal sealed partial class SqlSession
{
    private const string MaxMessageId = "SELECT max(id) FROM messages";
    /// <summary>At most this many matches make a word rare (<see cref="SqlDialect.CountSearchMatches"/>).</summary>
    private const int RareMatches = 5_000;

    public async ValueTask<IReadOnlyList<MessageRow>> SearchMessagesAsync(MessageSearch search)
    {
        if (search.Words.Count == 0 || search.Limit <= 0 || search.InboxIds is { Count: 0 }) return [];
        var rare = _dialect.CountSearchMatches(search.Words, RareMatches + 1) is { } count
            && Convert.ToInt64(await Scalar(count)) <= RareMatches;
        var idsSql = _dialect.SearchMessageIds(search.InboxIds is null, search.Words, rare);
        (string Name, object? Value)[] args = [("@words", _dialect.SearchQuery(search.Words)),
            ("@inboxIds", search.InboxIds is null ? null : _dialect.IdList(search.InboxIds)), ("@limit", search.Limit), ("@offset", search.Offset),
            ("@low", 0L), ("@high", long.MaxValue)];
        if (_dialect.SearchWindow is not { } window)
        {
            var sql = $"{Messages.Select} WHERE id IN ({idsSql}) ORDER BY id DESC";
            return await Many(sql, Messages.Read, Referenced(sql, args));
        }

        var wanted = search.Offset + search.Limit;
        var ids = new List<long>(wanted);
        var high = await Scalar(MaxMessageId) is { } max ? Convert.ToInt64(max) : 0L;
        while (high > 0 && ids.Count < wanted)
        {
            var low = Math.Max(1, high - window + 1);
            args[2] = ("@limit", wanted - ids.Count);
            args[3] = ("@offset", 0);
            (args[4], args[5]) = (("@low", low), ("@high", high));
            ids.AddRange(await Many(idsSql, reader => reader.GetInt64(0), Referenced(idsSql, args)));
            (high, window) = (low - 1, window * 2);
        }
        var page = ids.Skip(search.Offset).ToList();
        if (page.Count == 0) return [];
        var rows = $"{Messages.Select} WHERE {_dialect.AnyOf("id", "@ids")} ORDER BY id DESC";
        return await Many(rows, Messages.Read, ("@ids", _dialect.IdList(page)));
    }
}
