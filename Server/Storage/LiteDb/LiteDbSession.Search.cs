using ChatHub.Contracts;
using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Message search on LiteDB (issue 25), which has no full-text index: a word index of its own. Each incoming
/// or outgoing message writes one document per distinct word (<see cref="SearchWords"/>) under word|message id, with its
/// conversation; a search scans the keys that start with its rarest word (each counted up to a probe), at most
/// <see cref="MaxScannedWords"/> of them from the newest back, keeps those of the caller's inboxes, and checks the other words
/// against each candidate's text, newest first. Bounded: a word in more messages than that scan finds only its newest ones.</summary>
internal sealed partial class LiteDbSession
{
    /// <summary>At most this many index entries are read for one search.</summary>
    internal const int MaxScannedWords = 20_000;
    /// <summary>How many entries of each word of a several-word search are counted to find its rarest.</summary>
    private const int ProbeWords = 2_000;
    /// <summary>At most this many distinct words of a message are indexed (a 16 KiB message rarely has half as many).</summary>
    internal const int MaxWordsPerMessage = 1_000;

    private ILiteCollection<BsonDocument> MessageWordRows => db.GetCollection(MessageWords);

    /// <summary>The index documents of a message's words (none for an activity line or a template).</summary>
    internal static IEnumerable<BsonDocument> WordDocuments(MessageRow message) =>
        message.MessageType is MessageTypes.Incoming or MessageTypes.Outgoing
            ? SearchWords.Of(message.Content).Take(MaxWordsPerMessage).Select(word => new BsonDocument
            {
                ["_id"] = WordKey(word, message.Id), ["m"] = message.Id, ["c"] = message.ConversationId,
            })
            : [];

    private static string WordKey(string word, long messageId) => $"{word}|{Key.Number(messageId)}";

    private void IndexWords(MessageRow message)
    {
        foreach (var document in WordDocuments(message)) Writes.Upsert(MessageWordRows, document);
    }

    private void UnindexWords(MessageRow message)
    {
        if (message.MessageType is not (MessageTypes.Incoming or MessageTypes.Outgoing)) return;
        foreach (var word in SearchWords.Of(message.Content).Take(MaxWordsPerMessage)) Writes.Delete(MessageWordRows, WordKey(word, message.Id));
    }

    private IReadOnlyList<MessageRow> SearchMessages(MessageSearch search)
    {
        if (search.Words.Count == 0 || search.Limit <= 0 || search.InboxIds is { Count: 0 }) return [];
        // The rarest word drives the scan: each word's entries are counted up to a probe's worth, the longest breaking ties.
        var longest = search.Words.Count == 1 ? search.Words[0] : search.Words
            .Select(word => (Word: word, Count: Range(MessageWordRows, "_id", Key.Prefix(word), descending: false, limit: ProbeWords).Count()))
            .OrderBy(probe => probe.Count).ThenByDescending(probe => probe.Word.Length).First().Word;
        var inboxes = search.InboxIds?.ToHashSet();
        var inboxOf = new Dictionary<long, long?>();
        // Descending: a word's entries run from its newest message back, so a common word's scan reaches its newest ones.
        var candidates = Range(MessageWordRows, "_id", Key.Prefix(longest), descending: true, limit: MaxScannedWords)
            .Where(d => inboxes is null || inboxes.Contains(InboxOf(d["c"].AsInt64) ?? -1))
            .Select(d => d["m"].AsInt64).Distinct().OrderDescending();
        var wanted = search.Offset + search.Limit;
        var found = new List<MessageRow>();
        foreach (var id in candidates)
        {
            if (GetMessage(id) is not { } message || !HasEveryWord(message.Content, search.Words)) continue;
            found.Add(message);
            if (found.Count == wanted) break;
        }
        return found.Skip(search.Offset).ToList();

        long? InboxOf(long conversationId) =>
            inboxOf.TryGetValue(conversationId, out var inbox) ? inbox : inboxOf[conversationId] = GetConversation(conversationId)?.InboxId;
    }

    private static bool HasEveryWord(string content, IReadOnlyList<string> wanted)
    {
        var words = SearchWords.Of(content);
        return wanted.All(prefix => words.Any(word => word.StartsWith(prefix, StringComparison.Ordinal)));
    }

    public ValueTask<IReadOnlyList<MessageRow>> SearchMessagesAsync(MessageSearch search) => new(SearchMessages(search));
}
