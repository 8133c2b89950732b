using System.Net;
using System.Text.Json;
using ChatHub.Server.Tests.Chatwoot;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Chatwoot's canned responses on the application API, over real HTTP on a shared server, on every store: each
/// route's body (flat or nested under <c>canned_response</c>), its answer's shape (the record; the list a bare array) and
/// who may call it. The rules are the use-case tests' (UseCases/CannedResponses).</summary>
public sealed class CannedResponsesApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Path = "/api/v1/accounts/1/canned_responses";
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static async Task<JsonElement> CreateAsync(HttpClient admin, object body)
    {
        var response = await admin.PostJson(Path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonBody();
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient agent, string query = "")
    {
        var list = await (await agent.GetAsync(Path + query)).JsonBody();
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        return list.EnumerateArray().ToList();
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Post_creates_a_canned_response_from_a_flat_or_nested_body_for_administrators_only()
    {
        using var admin = shared.Server.AdminHttp();
        var shortCode = Unique("hello");

        var created = await CreateAsync(admin, new { short_code = shortCode, content = "Hi {{contact.name}}" });
        ChatwootShapeCatalog.CannedResponse.Assert(created);
        Assert.Equal((1L, shortCode, "Hi {{contact.name}}"), (created.GetProperty("account_id").GetInt64(),
            created.GetProperty("short_code").GetString(), created.GetProperty("content").GetString()));
        var createdAt = DateTimeOffset.Parse(created.GetProperty("created_at").GetString()!);
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        var nested = await CreateAsync(admin, new { canned_response = new { short_code = Unique("nested"), content = "Nested" } });
        Assert.Equal("Nested", nested.GetProperty("content").GetString());

        await (await admin.PostJson(Path, new { short_code = shortCode, content = "Again" })).AssertValidation("short_code");
        await (await admin.PostJson(Path, new { short_code = "two words", content = "x" })).AssertValidation("short_code");
        await (await admin.PostJson(Path, new { short_code = Unique("empty") })).AssertValidation("content");
        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Grace")).AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson(Path, new { short_code = Unique("mine"), content = "Mine" })).StatusCode);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Get_lists_every_canned_response_as_a_bare_array_by_short_code_to_any_agent_and_search_filters_it()
    {
        using var admin = shared.Server.AdminHttp();
        var marker = Guid.NewGuid().ToString("N")[..10];
        var b = await CreateAsync(admin, new { short_code = "b-" + marker, content = "Second" });
        var a = await CreateAsync(admin, new { short_code = "a-" + marker, content = "First" });
        var byContent = await CreateAsync(admin, new { short_code = Unique("other"), content = "Mentions " + marker.ToUpperInvariant() });
        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Grace")).AccessToken!);

        var all = await ListAsync(agent);
        all.ForEach(ChatwootShapeCatalog.CannedResponse.Assert);
        var codes = all.Select(c => c.GetProperty("short_code").GetString()!).ToList();
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
        Assert.Contains(b.GetProperty("short_code").GetString(), codes);

        var found = await ListAsync(agent, "?search=" + marker);
        Assert.Equal(new[] { a, b, byContent }.Select(c => c.GetProperty("id").GetInt64()).Order(), found.Select(c => c.GetProperty("id").GetInt64()).Order());
        Assert.Empty(await ListAsync(agent, "?search=" + Guid.NewGuid().ToString("N")));
        await (await agent.GetAsync(Path + "?search=" + new string('x', 101))).AssertValidation("search");
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Patch_and_put_change_only_what_they_name_and_delete_removes_it()
    {
        using var admin = shared.Server.AdminHttp();
        var created = await CreateAsync(admin, new { short_code = Unique("old"), content = "Kept" });
        var one = $"{Path}/{created.GetProperty("id").GetInt64()}";
        var renamed = Unique("new");

        var patched = await (await admin.PatchJson(one, new { short_code = renamed })).JsonBody();
        ChatwootShapeCatalog.CannedResponse.Assert(patched);
        Assert.Equal((renamed, "Kept"), (patched.GetProperty("short_code").GetString(), patched.GetProperty("content").GetString()));
        var put = await (await admin.PutAsync(one, RawJson("""{"canned_response": {"content": "Changed"}}"""))).JsonBody();
        Assert.Equal((renamed, "Changed"), (put.GetProperty("short_code").GetString(), put.GetProperty("content").GetString()));
        Assert.Equal(created.GetProperty("created_at").GetString(), put.GetProperty("created_at").GetString());
        await (await admin.PatchJson(one, new { content = "" })).AssertValidation("content");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchJson($"{Path}/999999999", new { content = "x" })).StatusCode);
        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Grace")).AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PatchJson(one, new { content = "Mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync(one)).StatusCode);

        var deleted = await admin.DeleteAsync(one);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain(created.GetProperty("id").GetInt64(), (await ListAsync(admin)).Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(one)).StatusCode);
    }
}
