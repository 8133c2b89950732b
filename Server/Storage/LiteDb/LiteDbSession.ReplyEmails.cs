using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Email (issue 24): reply emails on LiteDB, one document per conversation under its id, found by the due-time
/// index. One process per file, one writer: a claim needs no lock beyond the writer's transaction.</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> ReplyEmailRows => db.GetCollection(ReplyEmails);

    public ValueTask ScheduleReplyEmailAsync(ReplyEmailRow row)
    {
        _ = Ids;
        if (ReplyEmailRows.FindById(row.ConversationId) is null)
            Writes.Insert(ReplyEmailRows, ToReplyEmailDocument(new ReplyEmailRow
            {
                ConversationId = row.ConversationId, FromMessageId = row.FromMessageId, DueAt = row.DueAt,
            }));
        return default;
    }

    public ValueTask<IReadOnlyList<ReplyEmailRow>> ClaimDueReplyEmailsAsync(string owner, long now, long leaseUntil, int max)
    {
        _ = Ids;
        var claimed = ReplyEmailRows.Find(Query.LTE(ReplyEmailDue, now)).Select(ToReplyEmail)
            .Where(r => r.LeaseUntil is null || r.LeaseUntil < now).OrderBy(r => r.DueAt).Take(max).ToList();
        foreach (var row in claimed)
        {
            (row.LeaseOwner, row.LeaseUntil, row.Attempts) = (owner, leaseUntil, row.Attempts + 1);
            Writes.Update(ReplyEmailRows, ToReplyEmailDocument(row));
        }
        return new(claimed);
    }

    public ValueTask<bool> DeleteReplyEmailAsync(long conversationId, string owner)
    {
        _ = Ids;
        if (ReplyEmailRows.FindById(conversationId) is not { } document || ToReplyEmail(document).LeaseOwner != owner) return new(false);
        return new(Writes.Delete(ReplyEmailRows, conversationId));
    }

    private static BsonDocument ToReplyEmailDocument(ReplyEmailRow r) => new()
    {
        ["_id"] = r.ConversationId, ["from_message_id"] = r.FromMessageId, [ReplyEmailDue] = r.DueAt, ["attempts"] = r.Attempts,
        ["lease_owner"] = r.LeaseOwner is null ? BsonValue.Null : r.LeaseOwner,
        ["lease_until"] = r.LeaseUntil is { } until ? until : BsonValue.Null,
    };

    private static ReplyEmailRow ToReplyEmail(BsonDocument d) => new()
    {
        ConversationId = d["_id"].AsInt64, FromMessageId = d["from_message_id"].AsInt64, DueAt = d[ReplyEmailDue].AsInt64,
        Attempts = d["attempts"].AsInt32, LeaseOwner = d["lease_owner"].IsNull ? null : d["lease_owner"].AsString,
        LeaseUntil = d["lease_until"].IsNull ? null : d["lease_until"].AsInt64,
    };
}
