using ChatHub.Contracts;
using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Teams and auto-assignment on LiteDB (issue 24): a few team documents, memberships under team|agent, and
/// each inbox member's open conversations of the inbox, from one range scan of the inbox's open conversations.</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> TeamRows => db.GetCollection(Teams);
    private ILiteCollection<BsonDocument> TeamMemberRows => db.GetCollection(TeamMembers);

    private IReadOnlyList<TeamRow> ListTeams() => TeamRows.FindAll().Select(ToTeam).OrderBy(t => t.Id).ToList();
    private TeamRow? GetTeam(long id) => TeamRows.FindById(id) is { } d ? ToTeam(d) : null;
    private IReadOnlyList<long> TeamMembersOf(long teamId) =>
        Range(TeamMemberRows, "_id", Key.Prefix(Key.Number(teamId) + "|"), descending: false).Select(d => d["agent_id"].AsInt64).ToList();

    private IReadOnlyList<MemberLoad> MemberLoads(long inboxId)
    {
        var open = Range(_conversations, ConversationOfInboxStatus, Key.Prefix($"{Key.Number(inboxId)}|{Key.Text(ConversationStatuses.Open)}|"), descending: false)
            .Select(ToConversation).Where(c => c.AssigneeId is not null && c.Status == ConversationStatuses.Open && c.InboxId == inboxId)
            .GroupBy(c => c.AssigneeId!.Value).ToDictionary(g => g.Key, g => (Count: g.Count(), Newest: g.Max(c => c.CreatedAt)));
        return MembersOf(inboxId).Select(agentId => open.TryGetValue(agentId, out var load)
            ? new MemberLoad(agentId, load.Count, load.Newest) : new MemberLoad(agentId, 0, null)).ToList();
    }

    private long InsertTeam(TeamRow team) => Insert(TeamRows, WithId(ToDocument(team), Ids.Next(Teams)));

    private void UpdateTeam(TeamRow team)
    {
        _ = Ids;
        if (GetTeam(team.Id) is not { } stored) return;
        RowShape<TeamRow>.Instance.CopyChangeable(team, stored);
        Writes.Update(TeamRows, ToDocument(stored));
    }

    private bool DeleteTeam(long id)
    {
        _ = Ids;
        foreach (var agentId in TeamMembersOf(id)) Writes.Delete(TeamMemberRows, Key.Of(id, agentId));
        return Writes.Delete(TeamRows, id);
    }

    private void AddTeamMember(long teamId, long agentId)
    {
        _ = Ids;
        Writes.Upsert(TeamMemberRows, new BsonDocument
        {
            ["_id"] = Key.Of(teamId, agentId), ["team_id"] = teamId, ["agent_id"] = agentId, [TeamMemberByAgent] = Key.Of(agentId, teamId),
        });
    }

    private bool RemoveTeamMember(long teamId, long agentId)
    {
        _ = Ids;
        return Writes.Delete(TeamMemberRows, Key.Of(teamId, agentId));
    }

    public ValueTask<IReadOnlyList<TeamRow>> ListTeamsAsync() => new(ListTeams());
    public ValueTask<TeamRow?> GetTeamAsync(long id) => new(GetTeam(id));
    public ValueTask<IReadOnlyList<long>> TeamMembersOfAsync(long teamId) => new(TeamMembersOf(teamId));
    public ValueTask<IReadOnlyList<MemberLoad>> MemberLoadsAsync(long inboxId) => new(MemberLoads(inboxId));
    // The single writer is the only one changing the file: holding the inbox is being that writer.
    public ValueTask<InboxRow?> GetInboxForUpdateAsync(long id) { _ = Ids; return new(GetInbox(id)); }
    public ValueTask<long> InsertTeamAsync(TeamRow team) => new(InsertTeam(team));
    public ValueTask UpdateTeamAsync(TeamRow team) { UpdateTeam(team); return default; }
    public ValueTask<bool> DeleteTeamAsync(long id) => new(DeleteTeam(id));
    public ValueTask AddTeamMemberAsync(long teamId, long agentId) { AddTeamMember(teamId, agentId); return default; }
    public ValueTask<bool> RemoveTeamMemberAsync(long teamId, long agentId) => new(RemoveTeamMember(teamId, agentId));
}
