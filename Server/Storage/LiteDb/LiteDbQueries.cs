using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>The store's LiteDB predicates and its history queries. Values go in as parameters (@0, @1), never into
/// an expression's text: LiteDB compiles an expression once per distinct text and keeps the compiled delegate for
/// the life of the process, so a value written into the text (as LiteDB's own Query.EQ, Query.Between and Query.LT
/// do) costs a compile, about a millisecond, for every new value, and memory that is never freed. With parameters
/// every text is one of a handful, compiled once.</summary>
public static class LiteDbQueries
{
    public static BsonExpression Between(string field, BsonValue from, BsonValue to) => BsonExpression.Create($"$.{field} BETWEEN @0 AND @1", from, to);
    public static BsonExpression Equal(string field, BsonValue value) => BsonExpression.Create($"$.{field} = @0", value);
    public static BsonExpression NotEqual(string field, BsonValue value) => BsonExpression.Create($"$.{field} != @0", value);
    public static BsonExpression Below(string field, BsonValue value) => BsonExpression.Create($"$.{field} < @0", value);
    public static BsonExpression In(string field, BsonArray values) => BsonExpression.Create($"$.{field} IN @0", values);

    /// <summary>The keys of one index in [range.From, range.To], in index order (the index both selects and orders:
    /// a range scan that stops at <paramref name="limit"/>), each document kept if it passes every filter.</summary>
    public static ILiteQueryableResult<BsonDocument> Range(ILiteCollection<BsonDocument> collection, string index, (string From, string To) range,
        bool descending, IEnumerable<BsonExpression>? filters = null, int limit = int.MaxValue)
    {
        var query = collection.Query().Where(Between(index, range.From, range.To));
        foreach (var filter in filters ?? []) query = query.Where(filter);
        var ordered = descending ? query.OrderByDescending(index) : query.OrderBy(index);
        return limit == int.MaxValue ? ordered : ordered.Limit(limit);
    }

    /// <summary>The attachments of these messages: one query, an index seek per message.</summary>
    public static ILiteQueryable<BsonDocument> AttachmentsOf(ILiteCollection<BsonDocument> attachments, IEnumerable<long> messageIds) =>
        attachments.Query().Where(In(AttachmentOfMessage, new BsonArray(messageIds.Distinct().Select(id => new BsonValue(id)))));

    /// <summary>A page of a conversation (<see cref="MessageQuery"/>), and whether it comes newest first (history is
    /// read newest first and answered oldest first). After a seq: every change after it, oldest first, along the seq
    /// (or contact seq) index; otherwise the newest page before the cursor, along (conversation, id).</summary>
    public static (ILiteQueryableResult<BsonDocument> Query, bool NewestFirst) HistoryPage(ILiteCollection<BsonDocument> messages, MessageQuery q)
    {
        var filters = new List<BsonExpression>();
        // What a contact reads: the messages with a contact seq (MessageRow.ContactSeq).
        if (q.ForContact) filters.Add(NotEqual("contact_seq", BsonValue.Null));
        if (q.AfterSeq is { } afterSeq)
        {
            if (q.Before is { } beforeId) filters.Add(Below("_id", beforeId));
            var range = (Key.Of(q.ConversationId, afterSeq + 1), Key.Of(q.ConversationId, long.MaxValue));
            return (Range(messages, q.ForContact ? MessageContactSeq : MessageSeq, range, descending: false, filters, q.Limit), false);
        }
        var upTo = Key.Of(q.ConversationId, q.Before is { } before ? before - 1 : long.MaxValue);
        return (Range(messages, MessagePage, (Key.Number(q.ConversationId) + "|", upTo), descending: true, filters, q.Limit), true);
    }
}
