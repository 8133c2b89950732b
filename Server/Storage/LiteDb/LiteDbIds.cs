using LiteDB;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Row ids, allocated by the single writer: each row's key fields need its id before the insert (LiteDB's own
/// auto-id is known only after it). Starts past the highest id stored; a rolled-back command leaves a gap, as
/// SQLite's rowids may.</summary>
internal sealed class LiteDbIds
{
    private readonly Dictionary<string, long> _last = [];

    public LiteDbIds(LiteDatabase db)
    {
        foreach (var name in LiteDbSchema.Collections)
        {
            if (name is LiteDbSchema.Members or LiteDbSchema.TeamMembers) continue; // keyed by (inbox|team, agent), no id of their own
            var highest = db.GetCollection(name).Query().OrderByDescending("_id").Limit(1).ToEnumerable().FirstOrDefault();
            _last[name] = highest is null ? 0 : highest["_id"].AsInt64;
        }
    }

    public long Next(string collection) => ++_last[collection];
}
