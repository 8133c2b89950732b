using ChatHub.Server.Storage.Sql;
using Npgsql;

namespace ChatHub.Server.Storage.Postgres;

/// <summary>Applies the SQL schema (<see cref="SqlSchema"/>) to a PostgreSQL database at start; schema_version holds how
/// many steps have run. Nodes starting at once take one transaction-scoped advisory lock first, so exactly one applies
/// each step and the others see it done. Step 7 is PostgreSQL's own.</summary>
public static class PostgresSchema
{
    private const long MigrationLock = 0x43686174487562; // "ChatHub"

    /// <summary>The steps PostgreSQL writes itself, by index.</summary>
    private static readonly Dictionary<int, string> OwnSteps = new()
    {
        // 7: files in slices of 64 KiB (attachment_chunks), read one bounded slice at a time; slices are stored as they
        // are (EXTERNAL: out of line, never compressed, so a substring reads only the part it needs, and files are mostly
        // compressed media already). The bytes stored so far move into slices; the old column is emptied before it is
        // dropped, so that its space is freed (a dropped column's values stay on disk until each row is rewritten). The
        // uploading contact's inbox, and indexes for the upload budgets and expiry.
        [6] = """
            CREATE TABLE attachment_chunks (
                attachment_id BIGINT NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
                seq BIGINT NOT NULL,
                data BYTEA NOT NULL,
                PRIMARY KEY (attachment_id, seq));
            ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
            INSERT INTO attachment_chunks (attachment_id, seq, data)
                SELECT a.id, s.seq, substring(a.data FROM (s.seq * 65536 + 1)::int FOR 65536)
                FROM attachments a, generate_series(0::bigint, (length(a.data)::bigint + 65535) / 65536 - 1) AS s(seq);
            ALTER TABLE attachments ADD COLUMN inbox_id BIGINT REFERENCES inboxes(id);
            ALTER TABLE attachments ALTER COLUMN data DROP NOT NULL;
            UPDATE attachments SET data = NULL,
                inbox_id = (SELECT c.inbox_id FROM contacts c WHERE attachments.uploader_type = 'contact' AND c.id = attachments.uploader_id);
            ALTER TABLE attachments DROP COLUMN data;
            CREATE INDEX ix_attachments_uploader ON attachments(uploader_type, uploader_id, created_at) INCLUDE (file_size);
            CREATE INDEX ix_attachments_inbox ON attachments(inbox_id, created_at) INCLUDE (file_size) WHERE inbox_id IS NOT NULL;
            CREATE INDEX ix_attachments_pending ON attachments(created_at) WHERE message_id IS NULL;
            """,
    };

    public static int LatestVersion => SqlSchema.LatestVersion;

    /// <param name="upTo">The version to stop at (tests build an older database with it); the latest by default.</param>
    public static void Migrate(NpgsqlDataSource dataSource, int? upTo = null)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        Execute(connection, transaction, "INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)");
        using (var read = new NpgsqlCommand("SELECT version FROM schema_version", connection, transaction))
        {
            var version = Convert.ToInt32(read.ExecuteScalar());
            for (var step = version; step < Math.Min(upTo ?? LatestVersion, LatestVersion); step++)
                Execute(connection, transaction, (SqlSchema.Step(step, PostgresDialect.Instance) ?? OwnSteps[step]) + $"\nUPDATE schema_version SET version = {step + 1};");
        }
        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
