using static ChatHub.Server.Storage.Sql.SqlStatements;

namespace ChatHub.Server.Storage.Sql;

/// <summary>Teams and auto-assignment over SQL (issue 24): a few team rows and their memberships, and each inbox
/// member's open conversations of the inbox, counted along ix_conversations_assignee.</summary>
internal sealed partial class SqlSession
{
    private static readonly SqlTable<TeamRow> Teams = new("teams");
    private static readonly string ListTeams = $"{Teams.Select} ORDER BY id";
    private static readonly string GetTeam = $"{Teams.Select} WHERE id = @id";
    private static readonly string InsertTeam = Teams.Insert();
    private static readonly string UpdateTeam = Teams.Update([]);
    private const string DeleteTeamMembers = "DELETE FROM team_members WHERE team_id = @id";
    private const string DeleteTeam = "DELETE FROM teams WHERE id = @id";
    private const string TeamMembersOf = "SELECT agent_id FROM team_members WHERE team_id = @teamId ORDER BY agent_id";
    private const string AddTeamMember = "INSERT INTO team_members (team_id, agent_id) VALUES (@teamId, @agentId) ON CONFLICT DO NOTHING";
    private const string RemoveTeamMember = "DELETE FROM team_members WHERE team_id = @teamId AND agent_id = @agentId";

    /// <summary>Every member, with or without open conversations (the LEFT JOIN).</summary>
    private const string MemberLoads = """
        SELECT m.agent_id, COUNT(c.id), MAX(c.created_at) FROM inbox_members m
        LEFT JOIN conversations c ON c.inbox_id = m.inbox_id AND c.assignee_id = m.agent_id AND c.status = 'open'
        WHERE m.inbox_id = @inboxId GROUP BY m.agent_id ORDER BY m.agent_id
        """;

    public async ValueTask<IReadOnlyList<TeamRow>> ListTeamsAsync() => await Many(ListTeams, Teams.Read);
    public ValueTask<TeamRow?> GetTeamAsync(long id) => One(GetTeam, Teams.Read, ("@id", id));
    public async ValueTask<IReadOnlyList<long>> TeamMembersOfAsync(long teamId) => await Many(TeamMembersOf, Long, ("@teamId", teamId));

    public async ValueTask<IReadOnlyList<MemberLoad>> MemberLoadsAsync(long inboxId) =>
        await Many(MemberLoads, r => new MemberLoad(r.GetInt64(0), (int)r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2)),
            ("@inboxId", inboxId));

    public ValueTask<InboxRow?> GetInboxForUpdateAsync(long id)
    {
        Writer();
        return One($"{GetInbox}{_dialect.ForUpdate}", Inboxes.Read, ("@id", id));
    }

    public ValueTask<long> InsertTeamAsync(TeamRow team) => Insert(InsertTeam, Teams.InsertArgs(team));

    public async ValueTask UpdateTeamAsync(TeamRow team)
    {
        Writer();
        await Execute(UpdateTeam, Teams.UpdateArgs(team, []));
    }

    public async ValueTask<bool> DeleteTeamAsync(long id)
    {
        Writer();
        await Execute(DeleteTeamMembers, ("@id", id));
        return await Execute(DeleteTeam, ("@id", id)) > 0;
    }

    public async ValueTask AddTeamMemberAsync(long teamId, long agentId)
    {
        Writer();
        await Execute(AddTeamMember, ("@teamId", teamId), ("@agentId", agentId));
    }

    public async ValueTask<bool> RemoveTeamMemberAsync(long teamId, long agentId)
    {
        Writer();
        return await Execute(RemoveTeamMember, ("@teamId", teamId), ("@agentId", agentId)) > 0;
    }
}
