using static ChatHub.Server.Storage.Sql.ReplyEmailStatements;

namespace ChatHub.Server.Storage.Sql;

/// <summary>Email (issue 24): reply emails on SQL (<see cref="ReplyEmailStatements"/>).</summary>
internal sealed partial class SqlSession
{
    public async ValueTask ScheduleReplyEmailAsync(ReplyEmailRow row)
    {
        Writer();
        await Execute(Schedule, ("@conversationId", row.ConversationId), ("@fromMessageId", row.FromMessageId), ("@dueAt", row.DueAt));
    }

    public async ValueTask<IReadOnlyList<ReplyEmailRow>> ClaimDueReplyEmailsAsync(string owner, long now, long leaseUntil, int max)
    {
        Writer();
        return await Many(Claim, ReplyEmails.Read, ("@owner", owner), ("@leaseUntil", leaseUntil), ("@now", now), ("@max", max));
    }

    public async ValueTask<bool> DeleteReplyEmailAsync(long conversationId, string owner)
    {
        Writer();
        return await Execute(Delete, ("@conversationId", conversationId), ("@owner", owner)) > 0;
    }
}
