using Microsoft.Data.Sqlite;

namespace ChatHub.Server.Storage.Sqlite;

/// <summary>Versioned migrations, applied at start. PRAGMA user_version holds how many have run.
/// Append new steps; never edit a released one. A step is SQL, or code where data must move in ways SQL cannot do
/// well (it runs in the step's transaction all the same).</summary>
public static class SqliteSchema
{
    private sealed record Step(string Sql = "", Action<SqliteConnection, SqliteTransaction>? Code = null)
    {
        public static implicit operator Step(string sql) => new(sql);
    }

    private static readonly Step[] Migrations =
    [
        """
        CREATE TABLE inboxes (
            id INTEGER PRIMARY KEY,
            identifier TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            hmac_token TEXT NOT NULL,
            hmac_mandatory INTEGER NOT NULL DEFAULT 0,
            timezone TEXT NOT NULL DEFAULT 'UTC',
            working_hours_enabled INTEGER NOT NULL DEFAULT 0,
            working_hours TEXT,
            greeting_enabled INTEGER NOT NULL DEFAULT 0,
            greeting_message TEXT,
            created_at INTEGER NOT NULL);
        CREATE TABLE agents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL,
            access_token_hash TEXT NOT NULL UNIQUE,
            pubsub_token TEXT NOT NULL UNIQUE,
            availability TEXT NOT NULL DEFAULT 'offline',
            created_at INTEGER NOT NULL);
        CREATE TABLE inbox_members (
            inbox_id INTEGER NOT NULL REFERENCES inboxes(id),
            agent_id INTEGER NOT NULL REFERENCES agents(id),
            PRIMARY KEY (inbox_id, agent_id)) WITHOUT ROWID;
        CREATE INDEX ix_inbox_members_agent ON inbox_members(agent_id);
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            inbox_id INTEGER NOT NULL REFERENCES inboxes(id),
            source_id TEXT NOT NULL,
            pubsub_token TEXT NOT NULL,
            pubsub_token_hash TEXT NOT NULL UNIQUE,
            name TEXT, email TEXT, phone_number TEXT, identifier TEXT,
            custom_attributes TEXT,
            hmac_verified INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE (inbox_id, source_id));
        CREATE INDEX ix_contacts_identifier ON contacts(inbox_id, identifier) WHERE identifier IS NOT NULL;
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            inbox_id INTEGER NOT NULL REFERENCES inboxes(id),
            contact_id INTEGER NOT NULL REFERENCES contacts(id),
            status TEXT NOT NULL,
            assignee_id INTEGER REFERENCES agents(id),
            seq INTEGER NOT NULL DEFAULT 0,
            contact_seq INTEGER NOT NULL DEFAULT 0,
            custom_attributes TEXT,
            contact_last_seen_at INTEGER,
            agent_last_seen_at INTEGER,
            created_at INTEGER NOT NULL,
            last_activity_at INTEGER NOT NULL);
        CREATE INDEX ix_conversations_contact ON conversations(contact_id, last_activity_at);
        CREATE INDEX ix_conversations_inbox ON conversations(inbox_id, status, last_activity_at);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            seq INTEGER NOT NULL,
            contact_seq INTEGER,
            message_type INTEGER NOT NULL,
            content TEXT NOT NULL,
            content_type TEXT NOT NULL,
            content_attributes TEXT,
            private INTEGER NOT NULL DEFAULT 0,
            echo_id TEXT,
            sender_type TEXT,
            sender_id INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX ix_messages_seq ON messages(conversation_id, seq);
        CREATE INDEX ix_messages_contact_seq ON messages(conversation_id, contact_seq) WHERE contact_seq IS NOT NULL;
        CREATE INDEX ix_messages_page ON messages(conversation_id, id);
        CREATE UNIQUE INDEX ix_messages_echo ON messages(sender_type, sender_id, echo_id, conversation_id)
            WHERE echo_id IS NOT NULL;
        """,
        // 2: a contact's avatar_url (Chatwoot's POST /contacts takes one), and a name for every contact (Chatwoot
        // generates one when none is given; contacts stored before this step get "contact-<id>").
        """
        ALTER TABLE contacts ADD COLUMN avatar_url TEXT;
        UPDATE contacts SET name = 'contact-' || id WHERE name IS NULL OR name = '';
        """,
        // 3: webhooks and their outbox of deliveries (README "Webhooks").
        """
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            subscriptions TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY,
            webhook_id INTEGER NOT NULL,
            delivery_id TEXT NOT NULL UNIQUE,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            lease_until INTEGER,
            lease_owner TEXT,
            created_at INTEGER NOT NULL,
            delivered_at INTEGER);
        CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries(webhook_id, id) WHERE status = 'pending';
        CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
        """,
        // 4: attachments (their bytes in the database, so every node serves them), an inbox's CSAT survey switch
        // and a conversation's latest rating.
        """
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            token TEXT NOT NULL UNIQUE,
            uploader_type TEXT NOT NULL,
            uploader_id INTEGER NOT NULL,
            message_id INTEGER REFERENCES messages(id),
            file_name TEXT NOT NULL,
            file_type TEXT NOT NULL,
            extension TEXT,
            content_type TEXT NOT NULL,
            file_size INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            data BLOB NOT NULL);
        CREATE INDEX ix_attachments_message ON attachments(message_id) WHERE message_id IS NOT NULL;
        ALTER TABLE inboxes ADD COLUMN csat_survey_enabled INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversations ADD COLUMN csat_rating INTEGER;
        """,
        // 5: what the widget's header promises about replies (Chatwoot's reply_time).
        """
        ALTER TABLE inboxes ADD COLUMN reply_time TEXT NOT NULL DEFAULT 'in_a_few_minutes';
        """,
        // 6: an agent an administrator deactivated (its token opens nothing until reactivated).
        """
        ALTER TABLE agents ADD COLUMN deactivated_at INTEGER;
        """,
        // 7: files in slices of 64 KiB (attachment_chunks), so a download reads a bounded slice per short read; the
        // uploading contact's inbox, and indexes for the upload budgets and for expiring pending uploads.
        new Step(Code: ChunkAttachments),
    ];

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
        insert.CommandText = "INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (@id, @seq, @data)";
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

    public static int LatestVersion => Migrations.Length;

    /// <param name="upTo">The version to stop at (tests build an older database with it); the latest by default.</param>
    public static void Migrate(SqliteConnection connection, int? upTo = null)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));
        for (var step = version; step < Math.Min(upTo ?? Migrations.Length, Migrations.Length); step++)
        {
            using var transaction = connection.BeginTransaction();
            // Nodes sharing the file may start together: read the version again under the write lock, and skip
            // a step another node applied since.
            if (Convert.ToInt32(Scalar(connection, "PRAGMA user_version;", transaction)) > step) continue;
            Migrations[step].Code?.Invoke(connection, transaction);
            Execute(connection, transaction, Migrations[step].Sql + $"\nPRAGMA user_version = {step + 1};");
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
