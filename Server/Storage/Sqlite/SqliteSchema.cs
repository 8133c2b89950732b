using ChatHub.Server.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>Applies the SQL schema (<see cref="SqlSchema"/>) to a SQLite file at start; PRAGMA user_version holds how
/// many steps have run. Step 7 is SQLite's own: data moved by code (it runs in the step's transaction all the same).</summary>
public static class SqliteSchema
{
    /// <summary>The steps SQLite writes itself, by index.</summary>
    private static readonly Dictionary<int, Action<SqliteConnection, SqliteTransaction>> OwnSteps = new() { [6] = ChunkAttachments };

    private const string ChunkedAttachmentsSql = """
        CREATE TABLE attachment_chunks (
            attachment_id INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (attachment_id, seq));
        ALTER TABLE attachments ADD COLUMN inbox_id INTEGER REFERENCES inboxes(id);
        UPDATE attachments SET inbox_id = (SELECT c.inbox_id FROM contacts c WHERE c.id = attachments.uploader_id)
            WHERE uploader_type = 'contact';
        CREATE INDEX ix_attachments_uploader ON attachments(uploader_type, uploader_id, created_at, file_size);
        CREATE INDEX ix_attachments_inbox ON attachments(inbox_id, created_at, file_size) WHERE inbox_id IS NOT NULL;
        CREATE INDEX ix_attachments_pending ON attachments(created_at) WHERE message_id IS NULL;
        """;

    /// <summary>Step 7: the new table and indexes, then each stored file's bytes into slices, read through one blob
    /// handle per file (linear; SQL's substr would load the whole blob once per slice), then the old column goes.</summary>
    private static void ChunkAttachments(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, transaction, ChunkedAttachmentsSql);
        var files = new List<(long Id, long Length)>();
        using (var list = connection.CreateCommand())
        {
            list.Transaction = transaction;
            list.CommandText = "SELECT id, length(data) FROM attachments ORDER BY id";
            using var reader = list.ExecuteReader();
            while (reader.Read()) files.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = SqlStatements.InsertChunk;
        var (id, seq, data) = (insert.Parameters.Add("@id", SqliteType.Integer), insert.Parameters.Add("@seq", SqliteType.Integer),
            insert.Parameters.Add("@data", SqliteType.Blob));
        var slice = new byte[AttachmentChunks.Bytes];
        foreach (var file in files)
        {
            using var blob = new SqliteBlob(connection, "attachments", "data", file.Id, readOnly: true);
            for (long index = 0, offset = 0; offset < file.Length; index++, offset += slice.Length)
            {
                var length = (int)Math.Min(slice.Length, file.Length - offset);
                blob.ReadExactly(slice, 0, length);
                (id.Value, seq.Value, data.Value) = (file.Id, index, length == slice.Length ? slice : slice[..length]);
                insert.ExecuteNonQuery();
            }
        }
        Execute(connection, transaction, "ALTER TABLE attachments DROP COLUMN data;");
    }

    public static int LatestVersion => SqlSchema.LatestVersion;

    /// <param name="upTo">The version to stop at (tests build an older database with it); the latest by default.</param>
    public static void Migrate(SqliteConnection connection, int? upTo = null)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));
        for (var step = version; step < Math.Min(upTo ?? LatestVersion, LatestVersion); step++)
        {
            using var transaction = connection.BeginTransaction();
            // Nodes sharing the file may start together: read the version again under the write lock, and skip
            // a step another node applied since.
            if (Convert.ToInt32(Scalar(connection, "PRAGMA user_version;", transaction)) > step) continue;
            if (SqlSchema.Step(step, SqliteDialect.Instance) is { } sql) Execute(connection, transaction, sql);
            else OwnSteps[step](connection, transaction);
            Execute(connection, transaction, $"PRAGMA user_version = {step + 1};");
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
