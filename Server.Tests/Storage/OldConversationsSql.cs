namespace ChatHub.Server.Tests.Storage;

/// <summary>The statements that store conversations and their messages in a SQL database from before the unread counts
/// (schema step 8), for the upgrade's conformance test on each SQL engine.</summary>
internal static class OldConversationsSql
{
    public static IEnumerable<(string Sql, (string Name, object? Value)[] Args)> Statements(
        IReadOnlyList<(long? AgentLastSeenAt, StoreConformanceTests.OldMessage[] Messages)> conversations)
    {
        yield return ("""
            INSERT INTO inboxes (id, identifier, name, hmac_token, created_at) VALUES (1, 'old', 'Old', 'hmac', 0);
            INSERT INTO contacts (id, inbox_id, source_id, pubsub_token, pubsub_token_hash, name, created_at) VALUES (1, 1, 'src', 'pst', 'psth', 'Old', 0);
            """, []);
        for (var index = 0; index < conversations.Count; index++)
        {
            var id = index + 1L;
            yield return ("""
                INSERT INTO conversations (id, uuid, inbox_id, contact_id, status, agent_last_seen_at, created_at, last_activity_at)
                VALUES (@id, @uuid, 1, 1, 'open', @seen, 0, 0)
                """, [("@id", id), ("@uuid", $"old-{id}"), ("@seen", conversations[index].AgentLastSeenAt)]);
            var seq = 0L;
            foreach (var m in conversations[index].Messages)
                yield return ("""
                    INSERT INTO messages (conversation_id, seq, message_type, content, content_type, created_at, updated_at)
                    VALUES (@id, @seq, @type, 'old', 'text', @at, @at)
                    """, [("@id", id), ("@seq", ++seq), ("@type", m.MessageType), ("@at", m.CreatedAt)]);
        }
    }
}
