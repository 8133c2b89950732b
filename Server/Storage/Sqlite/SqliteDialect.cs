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

    public override IReadOnlyDictionary<string, string> SchemaWords { get; } = new Dictionary<string, string>
    {
        ["{id}"] = "INTEGER PRIMARY KEY", ["{int64}"] = "INTEGER", ["{bool}"] = "INTEGER", ["{false}"] = "0", ["{blob}"] = "BLOB",
        // An agent's email is unique whatever its case, along the column's own collation.
        ["{email_unique}"] = " UNIQUE COLLATE NOCASE", ["{email_index}"] = "",
        ["{members_options}"] = " WITHOUT ROWID",
        ["{messages_page_index}"] = "CREATE INDEX ix_messages_page ON messages(conversation_id, id);",
    };
}
