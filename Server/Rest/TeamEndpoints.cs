using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Assignment;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Teams;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's teams on the application API (<c>teams_controller.rb</c>, <c>teams/team_members_controller.rb</c>:
/// a team or an array of them; members as arrays of the <c>_agent</c> partial), <c>assignable_agents</c>
/// (<c>{payload: [agent]}</c>), and a conversation's <c>assignments</c>, which assign an agent (<c>assignee_id</c>) or,
/// without one, a team (<c>team_id</c>), as Chatwoot's <c>params.key?</c> chooses.</summary>
public static class TeamEndpoints
{
    public sealed record TeamFields(string? Name, string? Description);

    /// <summary>Flat, or nested under <c>team</c> as Rails takes it.</summary>
    public sealed record TeamBody(string? Name, string? Description, TeamFields? Team)
    {
        public TeamFields Fields => Team ?? new TeamFields(Name, Description);
    }

    public sealed record TeamMembersBody(List<long>? UserIds);

    public static void MapTeams(this RouteGroupBuilder account)
    {
        var teams = account.MapGroup("/teams");
        teams.MapGet("", (HttpContext http, Dispatcher use) => use.AskAsync<ListTeams, IReadOnlyList<TeamDto>>(http.Agent(), new ListTeams()));
        teams.MapGet("/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
            (await use.AskAsync<ListTeams, IReadOnlyList<TeamDto>>(http.Agent(), new ListTeams(id)))[0]);
        teams.MapPost("", (TeamBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateTeam, TeamDto>(http.Agent(), new CreateTeam(body?.Fields.Name, body?.Fields.Description)));
        teams.MapMethods("/{id:long}", ["PATCH", "PUT"], (long id, TeamBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<UpdateTeam, TeamDto>(http.Agent(), new UpdateTeam(id, body?.Fields.Name, body?.Fields.Description)));
        teams.MapDelete("/{id:long}", async (long id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<DeleteTeam, Done>(http.Agent(), new DeleteTeam(id));
            return Results.Ok();
        });

        teams.MapGet("/{id:long}/team_members", async (long id, HttpContext http, Dispatcher use) =>
            ChatwootDirectory.Agents(await use.AskAsync<ListTeamMembers, IReadOnlyList<AgentDto>>(http.Agent(), new ListTeamMembers(id))));
        teams.MapPost("/{id:long}/team_members", (long id, TeamMembersBody? body, HttpContext http, Dispatcher use) =>
            ChangeMembersAsync(id, TeamMembersChange.Add, body, http, use));
        teams.MapPatch("/{id:long}/team_members", (long id, TeamMembersBody? body, HttpContext http, Dispatcher use) =>
            ChangeMembersAsync(id, TeamMembersChange.Set, body, http, use));
        teams.MapDelete("/{id:long}/team_members", async (long id, [Microsoft.AspNetCore.Mvc.FromBody] TeamMembersBody? body, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<ChangeTeamMembers, IReadOnlyList<AgentDto>>(http.Agent(), new ChangeTeamMembers(id, TeamMembersChange.Remove, body?.UserIds));
            return Results.Ok();
        });

        account.MapGet("/assignable_agents", async (HttpContext http, Dispatcher use) =>
            new { payload = ChatwootDirectory.Agents(await use.AskAsync<ListAssignableAgents, IReadOnlyList<AgentDto>>(http.Agent(),
                new ListAssignableAgents(InboxIdsParameter(http.Request)))) });
    }

    private static async Task<IReadOnlyList<AgentData>> ChangeMembersAsync(long id, TeamMembersChange change, TeamMembersBody? body,
        HttpContext http, Dispatcher use) =>
        ChatwootDirectory.Agents(await use.SendAsync<ChangeTeamMembers, IReadOnlyList<AgentDto>>(http.Agent(),
            new ChangeTeamMembers(id, change, body?.UserIds)));

    /// <summary><c>inbox_ids[]=1&amp;inbox_ids[]=2</c> or <c>inbox_ids=1,2</c>; a value that is no id is refused.</summary>
    private static IReadOnlyList<long> InboxIdsParameter(HttpRequest request)
    {
        var ids = new List<long>();
        foreach (var value in request.Query["inbox_ids[]"].Concat(request.Query["inbox_ids"])
                     .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            ids.Add(long.TryParse(value, out var id) && id > 0 ? id : throw ChatException.Invalid("inbox_ids", "inbox_ids must be inbox ids"));
        return ids;
    }

    /// <summary>What <c>POST .../assignments</c> asks for: an agent (assignee_id, null to unassign), or else a team
    /// (team_id, null to clear it). Read from the body as JSON (a Rails form arrives as JSON too, RailsBodies): a key
    /// given twice counts once, its last value.</summary>
    public static ICommand<ConversationDto> AssignmentOf(long conversationId, JsonElement? body)
    {
        if (body is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            throw ChatException.Invalid("assignee_id", "the body must be an object with assignee_id or team_id");
        JsonElement? Field(string name)
        {
            JsonElement? found = null;
            if (body is { ValueKind: JsonValueKind.Object } fields)
                foreach (var property in fields.EnumerateObject())
                    if (property.NameEquals(name)) found = property.Value;
            return found;
        }
        var (assignee, team) = (Field("assignee_id"), Field("team_id"));
        if (assignee is not null || team is null) return new Assign(conversationId, IdOf(assignee, "assignee_id"));
        return new AssignTeam(conversationId, IdOf(team, "team_id"));
    }

    public static Task<ConversationDto> AssignAsync(ICommand<ConversationDto> command, HttpContext http, Dispatcher use) => command switch
    {
        Assign a => use.SendAsync<Assign, ConversationDto>(http.Agent(), a),
        var t => use.SendAsync<AssignTeam, ConversationDto>(http.Agent(), (AssignTeam)t),
    };

    /// <summary>A number, a string of digits (a Rails form), or null / "" for none; anything else is 422 naming the field
    /// (read from the raw JSON text, so that no string, a lone surrogate included, is decoded).</summary>
    private static long? IdOf(JsonElement? value, string name)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var number)) return number;
        var raw = v.GetRawText();
        if (v.ValueKind == JsonValueKind.String && raw.Length <= 22)
        {
            var text = raw[1..^1];
            if (text.Length == 0) return null;
            if (text.All(char.IsAsciiDigit) && long.TryParse(text, out var parsed)) return parsed;
        }
        throw ChatException.Invalid(name, $"{name} must be an id or null");
    }
}
