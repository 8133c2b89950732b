namespace ChatHub.Server.Tests.Storage;

/// <summary>The statements that store conversations and their messages in a SQL database from before reports (schema
/// step 18), for the upgrade's conformance test on each SQL engine.</summary>
internal static class OldReportConversationsSql
{
    public static IEnumerable<(string Sql, (string Name, object? Value)[] Args)> Statements(
        IReadOnlyList<StoreConformanceTests.ReportOldConversation> conversations)
    {
        yield return ("""
            INSERT INTO inboxes (id, identifier, name, hmac_token, created_at) VALUES (1, 'old', 'Old', 'hmac', 0);
            INSERT INTO contacts (id, inbox_id, source_id, pubsub_token, pubsub_token_hash, name, created_at) VALUES (1, 1, 'src', 'pst', 'psth', 'Old', 0);
            """, []);
        for (var index = 0; index < conversations.Count; index++)
        {
            var id = index + 1L;
            var c = conversations[index];
            yield return ("""
                INSERT INTO conversations (id, uuid, inbox_id, contact_id, status, csat_rating, created_at, last_activity_at)
                VALUES (@id, @uuid, 1, 1, @status, @rating, @created, @activity)
                """, [("@id", id), ("@uuid", $"old-{id}"), ("@status", c.Status), ("@rating", c.CsatRating), ("@created", StoreConformanceTestsT0), ("@activity", c.LastActivityAt)]);
            var seq = 0L;
            foreach (var m in c.Messages)
                yield return ("""
                    INSERT INTO messages (conversation_id, seq, message_type, content, content_type, private, sender_type, sender_id, created_at, updated_at)
                    VALUES (@id, @seq, @type, 'old', @contentType, @private, @senderType, 1, @at, @updated)
                    """, [("@id", id), ("@seq", ++seq), ("@type", m.MessageType), ("@contentType", m.ContentType), ("@private", m.Private),
                    ("@senderType", m.SenderType), ("@at", m.CreatedAt), ("@updated", m.UpdatedAt)]);
        }
    }

    private const long StoreConformanceTestsT0 = 1_760_000_000_000;
}
