namespace ChatHub.Server.Storage.Sql;

/// <summary>Email (issue 24): the statements of the reply emails' table (replies while the customer is away), the same
/// on every SQL engine.</summary>
internal static class ReplyEmailStatements
{
    public static readonly SqlTable<ReplyEmailRow> ReplyEmails = new("reply_emails");

    /// <summary>The conversation's earlier reply email, if any, stays: it will carry this reply too.</summary>
    public const string Schedule = """
        INSERT INTO reply_emails (conversation_id, from_message_id, due_at, attempts)
        VALUES (@conversationId, @fromMessageId, @dueAt, 0)
        ON CONFLICT (conversation_id) DO NOTHING
        """;

    /// <summary>As the webhook deliveries' claim: the outer conditions are checked again on the row as it is when
    /// updated, so when two nodes pick the same row the second waits for the first's lock, then finds it leased.</summary>
    public static readonly string Claim = $"""
        UPDATE reply_emails SET lease_owner = @owner, lease_until = @leaseUntil, attempts = attempts + 1
        WHERE conversation_id IN (
            SELECT conversation_id FROM reply_emails
            WHERE due_at <= @now AND (lease_until IS NULL OR lease_until < @now)
            ORDER BY due_at LIMIT @max)
        AND due_at <= @now AND (lease_until IS NULL OR lease_until < @now)
        RETURNING {ReplyEmails.Columns}
        """;

    public const string Delete = "DELETE FROM reply_emails WHERE conversation_id = @conversationId AND lease_owner = @owner";
}
