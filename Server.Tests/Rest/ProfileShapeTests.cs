using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The agent's profile at <c>/api/v1/profile</c> and <c>/api/v1/accounts/1/profile</c> in Chatwoot's shape
/// (<c>api/v1/profiles/show</c> renders <c>app/views/api/v1/models/_user.json.jbuilder</c>): what integrations read
/// the account id and the pubsub token (for /cable) from.</summary>
public sealed class ProfileShapeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Both_paths_answer_the_user_partial_with_the_callers_own_tokens()
    {
        var server = shared.Server;
        var sam = await server.CreateAgent("Sam Profile");
        using var asSam = server.AgentHttp(sam.AccessToken!);
        var pubsub = await ProfilePubsubAsync(server, sam);

        var profile = await (await asSam.GetAsync("/api/v1/profile")).JsonBody();
        var account = await (await asSam.GetAsync("/api/v1/accounts/1/profile")).JsonBody();
        // Through the Bearer header the same, with the token it carried.
        using var bearer = server.BearerHttp(sam.AccessToken!);
        var viaBearer = await (await bearer.GetAsync("/api/v1/profile")).JsonBody();

        const string availability = "offline"; // a new agent's
        var expected = new Dictionary<string, object?>
        {
            // app/views/api/v1/models/_user.json.jbuilder, in its order
            ["access_token"] = sam.AccessToken,      // resource.access_token.token: the caller's own
            ["account_id"] = 1,                      // active_account_user.account_id: ChatHub is account 1
            ["available_name"] = "Sam Profile",      // User#available_name
            ["avatar_url"] = "",
            ["confirmed"] = true,
            ["display_name"] = "Sam Profile",
            ["message_signature"] = null,
            ["email"] = sam.Email,
            ["id"] = sam.Id,
            ["inviter_id"] = null,
            ["name"] = "Sam Profile",
            ["provider"] = "email",
            ["pubsub_token"] = pubsub,
            ["role"] = "agent",                      // active_account_user.role
            ["ui_settings"] = new Dictionary<string, object>(),
            ["uid"] = sam.Email,                     // devise_token_auth: the e-mail
            ["type"] = null,                         // User#type (STI): null but for super admins
            ["accounts"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["id"] = 1, ["name"] = "ChatHub", ["status"] = "active", ["active_at"] = null, ["role"] = "agent",
                    ["permissions"] = new[] { "agent" }, ["availability"] = availability, ["availability_status"] = availability,
                    ["auto_offline"] = true,
                },
            },
            // ChatHub's own fields, kept for its console and .NET client
            ["availability_status"] = availability,
            ["availability"] = availability,
            ["chosen_availability"] = availability,
            ["active"] = true,
        };
        SameJson.Equal(expected, profile);
        SameJson.Equal(expected, account);
        SameJson.Equal(expected, viaBearer);
        Assert.Equal(expected.Keys, profile.EnumerateObject().Select(p => p.Name));

        // The .NET client and the console read ChatHub's fields from the same answer.
        var dto = await asSam.GetRead<AgentDto>("/api/v1/profile");
        Assert.Equal((sam.Id, "agent", true), (dto.Id, dto.Role, dto.Active));
    }

    [Fact]
    public async Task A_token_reset_gives_a_new_pubsub_token_and_the_profile_shows_the_new_tokens()
    {
        var server = shared.Server;
        var sam = await server.CreateAgent("Sam Reset");
        var before = await ProfilePubsubAsync(server, sam);
        using var asSam = server.AgentHttp(sam.AccessToken!);
        var reset = await asSam.PostRead<AgentDto>("/api/v1/profile/reset_access_token", new { });

        using var renewed = server.AgentHttp(reset.AccessToken!);
        var profile = await (await renewed.GetAsync("/api/v1/profile")).JsonBody();
        Assert.Equal(reset.AccessToken, profile.GetProperty("access_token").GetString());
        Assert.NotEqual(before, profile.GetProperty("pubsub_token").GetString());
        Assert.Equal(27, profile.GetProperty("pubsub_token").GetString()!.Length); // 160 random bits, as every token
    }

    private static async Task<string> ProfilePubsubAsync(ChatServer server, AgentDto agent)
    {
        using var http = server.AgentHttp(agent.AccessToken!);
        var json = await (await http.GetAsync("/api/v1/profile")).JsonBody();
        return json.GetProperty("pubsub_token").GetString()!;
    }
}
