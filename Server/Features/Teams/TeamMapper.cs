using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Teams;

/// <summary>A team as Chatwoot shows it (<c>app/views/api/v1/models/_team.json.jbuilder</c>): allow_auto_assign is
/// always true (ChatHub auto-assigns per inbox); is_member says whether the reader belongs to it.</summary>
public sealed record TeamDto(long Id, string Name, string? Description, bool AllowAutoAssign, long AccountId, bool IsMember);

public static class TeamMapper
{
    public static TeamDto ToDto(TeamRow t, bool isMember) =>
        new(t.Id, t.Name, t.Description, true, Chatwoot.ChatwootAccount.Id, isMember);
}
