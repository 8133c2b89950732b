using LiteDB;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>A group commit's writes, kept as data beside the batch's one LiteDB transaction. LiteDB has no savepoint,
/// and an error of its own rolls back the whole transaction: when a command fails, the batch's transaction is rolled
/// back and the writes of the commands that succeeded before it are applied again, in order, in a new one. So a
/// failing command still rolls back alone, while a batch writes each page it touches once, not once per command (a
/// message dirties some twenty pages of indexes, data and collection headers, mostly the same ones as the batch's
/// other messages). Replaying is exact: one writer, so the rolled-back state is the state the writes first met,
/// and every write is a whole document (or a delete by key).</summary>
internal sealed class LiteDbWrites(LiteDatabase db)
{
    /// <summary>Past this, the batch's transaction commits before its next command (not durable until the batch's
    /// fsync, as every commit): it bounds what a replay repeats and what the transaction holds in memory.</summary>
    private const int MaxKeptWrites = 20_000;
    private const long MaxKeptBytes = 8L * 1024 * 1024;

    private readonly List<Action<LiteDatabase>> _done = [];
    private readonly List<Action<LiteDatabase>> _running = [];
    private long _bytes;

    /// <summary>Whether the commands that succeeded hold enough writes that the transaction should commit now.</summary>
    public bool IsLarge => _done.Count >= MaxKeptWrites || _bytes >= MaxKeptBytes;

    /// <summary>Whether the running command has written anything yet.</summary>
    public bool RunningWroteNothing => _running.Count == 0;

    public void Insert(ILiteCollection<BsonDocument> collection, BsonDocument document)
    {
        collection.Insert(document);
        Keep(collection, document, (c, d) => c.Insert(d));
    }

    public void Update(ILiteCollection<BsonDocument> collection, BsonDocument document)
    {
        collection.Update(document);
        Keep(collection, document, (c, d) => c.Update(d));
    }

    public void Upsert(ILiteCollection<BsonDocument> collection, BsonDocument document)
    {
        collection.Upsert(document);
        Keep(collection, document, (c, d) => c.Upsert(d));
    }

    public bool Delete(ILiteCollection<BsonDocument> collection, BsonValue id)
    {
        var deleted = collection.Delete(id);
        var name = collection.Name;
        _running.Add(database => database.GetCollection(name).Delete(id));
        return deleted;
    }

    /// <summary>Deletes the documents <paramref name="predicate"/> finds (its values are parameters, kept with it).</summary>
    public int DeleteMany(ILiteCollection<BsonDocument> collection, BsonExpression predicate)
    {
        var deleted = collection.DeleteMany(predicate);
        var name = collection.Name;
        _running.Add(database => database.GetCollection(name).DeleteMany(predicate));
        return deleted;
    }

    /// <summary>The running command succeeded: its writes join the batch's.</summary>
    public void EndCommand()
    {
        _done.AddRange(_running);
        _running.Clear();
    }

    /// <summary>The running command failed and the transaction was rolled back (by LiteDB or by the caller): a new
    /// transaction gets the writes of the commands that succeeded.</summary>
    public void ReplaySucceeded()
    {
        _running.Clear();
        foreach (var write in _done) write(db);
    }

    /// <summary>The transaction committed: nothing left to replay.</summary>
    public void Clear()
    {
        _done.Clear();
        _running.Clear();
        _bytes = 0;
    }

    /// <summary>The document itself, not a copy: the session writes each document it builds once and never changes it
    /// afterwards (a replay writes it again as it was).</summary>
    private void Keep(ILiteCollection<BsonDocument> collection, BsonDocument document, Action<ILiteCollection<BsonDocument>, BsonDocument> write)
    {
        foreach (var value in document.Values)
            if (value.IsBinary) _bytes += value.AsBinary.Length;
        var name = collection.Name;
        _running.Add(database => write(database.GetCollection(name), document));
    }
}
