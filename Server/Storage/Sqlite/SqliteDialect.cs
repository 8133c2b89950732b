using ChatHub.Server.Storage.Sql;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>SQLite's words: a list of ids is a JSON array read by json_each (one prepared statement whatever the count),
/// emails compare along their NOCASE column, and the single writer holds the whole file, so nothing is locked per row.</summary>
internal sealed class SqliteDialect : SqlDialect<SqliteDialect>
{
    public override string Name => "sqlite";
    public override string AsciiLower(string column) => $"lower({column})";
    public override string AnyOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";
    public override object IdList(IReadOnlyList<long> ids) => System.Text.Json.JsonSerializer.Serialize(ids);
    public override string EqualsIgnoringCase(string column, string parameter) => $"{column} = {parameter} COLLATE NOCASE";
    public override string ForUpdate => "";

    // Driven by the FTS5 table within a range of rowids (FTS5 seeks its lists to it): a common word's page is found in
    // the newest few thousand messages, without reading its whole list (half a million entries at a million messages).
    public override string SearchMessageIds(bool everyInbox, IReadOnlyList<string> words, bool rare = false) =>
        "SELECT f.rowid FROM messages_fts f" + (everyInbox ? "" : " JOIN messages m ON m.id = f.rowid JOIN conversations c ON c.id = m.conversation_id")
        + " WHERE messages_fts MATCH @words AND f.rowid BETWEEN @low AND @high" + (everyInbox ? "" : " AND " + AnyOf("c.inbox_id", "@inboxIds"))
        + " ORDER BY f.rowid DESC LIMIT @limit OFFSET @offset";
    public override long? SearchWindow => 4096;
    public override string SearchQuery(IReadOnlyList<string> words) => string.Join(" ", words.Select(word => $"\"{word}\"*"));

    public override IReadOnlyDictionary<string, string> SchemaWords { get; } = new Dictionary<string, string>
    {
        ["{id}"] = "INTEGER PRIMARY KEY", ["{int64}"] = "INTEGER", ["{bool}"] = "INTEGER", ["{false}"] = "0", ["{blob}"] = "BLOB",
        // An agent's email is unique whatever its case, along the column's own collation.
        ["{email_unique}"] = " UNIQUE COLLATE NOCASE", ["{email_index}"] = "",
        ["{members_options}"] = " WITHOUT ROWID",
        ["{messages_page_index}"] = "CREATE INDEX ix_messages_page ON messages(conversation_id, id);",
        // Message search (issue 25): an external-content FTS5 table over the text of incoming and outgoing messages
        // (never activity lines), kept by triggers on the messages' own writes, and filled from those stored already.
        ["{message_search}"] = """
            CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
            CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.message_type IN (0, 1) BEGIN
                INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content); END;
            CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.message_type IN (0, 1) BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content); END;
            CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages WHEN old.message_type IN (0, 1) AND new.content IS NOT old.content BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
                INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content); END;
            INSERT INTO messages_fts (rowid, content) SELECT id, content FROM messages WHERE message_type IN (0, 1);
            """,
    };
}
