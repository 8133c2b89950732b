using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Accounts;

/// <summary>The console's cookie session over real HTTP: HttpOnly, SameSite=Strict, no token in the answer; unsafe
/// requests need the CSRF header; the hub's handshake needs our Origin; sign-out, sign-out everywhere and deactivation
/// end sessions; the profile edit (names, avatar) reaches what customers see.</summary>
public sealed class ConsoleSessionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_cookie_session_is_httponly_strict_and_needs_the_csrf_header_for_unsafe_requests()
    {
        var server = shared.Server;
        var ann = await server.InvitedAgentAsync("Ann");
        using var tab = new AccountHttp.Browser(server);

        var data = (await tab.SignInAsync(ann.Email)).GetProperty("data");
        Assert.Equal("", data.GetProperty("access_token").GetString()); // the session is the cookie's alone
        var session = tab.Cookie("chathub_session")!;
        Assert.True(session.HttpOnly);
        Assert.False(session.Secure); // plain http (development): a Secure cookie would never come back
        Assert.False(tab.Cookie("chathub_csrf")!.HttpOnly);
        Assert.Equal(ann.Id, (await tab.Http.GetRead<JsonElement>("/api/v1/profile")).GetProperty("id").GetInt64());

        var patch = () => JsonContent.Create(new { name = "Ann Lee" }, options: RestApi.Json);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tab.SendAsync(HttpMethod.Patch, "/api/v1/profile", patch(), withCsrf: false)).StatusCode);
        var forged = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/profile") { Content = patch() };
        forged.Headers.Add("X-CSRF-Token", new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, (await tab.Http.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tab.SendAsync(HttpMethod.Patch, "/api/v1/profile", patch())).StatusCode);

        // Another site's page cannot get a console session (no login CSRF), nor open the hub with the cookie.
        using var elsewhere = new HttpClient(new HttpClientHandler { CookieContainer = tab.Cookies }) { BaseAddress = server.BaseUrl };
        elsewhere.DefaultRequestHeaders.Add("Origin", "https://evil.example");
        await (await elsewhere.PostAsJsonAsync("/auth/sign_in", new { email = ann.Email, password = AccountHttp.Password, session = "cookie" }, RestApi.Json))
            .AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tab.Http.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await tab.SendAsync(HttpMethod.Delete, "/auth/sign_out")).StatusCode);
        Assert.Null(tab.Cookie("chathub_session"));
        using var replay = new HttpClient { BaseAddress = server.BaseUrl };
        replay.DefaultRequestHeaders.Add("Cookie", $"chathub_session={session.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_everywhere_and_deactivation_end_every_session_but_not_the_access_token()
    {
        var server = shared.Server;
        var bob = await server.InvitedAgentAsync("Bob");
        using var first = new AccountHttp.Browser(server);
        using var second = new AccountHttp.Browser(server);
        await first.SignInAsync(bob.Email);
        await second.SignInAsync(bob.Email);
        await using var hub = await HubSession.ConnectAsync(server, bob.AccessToken!);

        Assert.Equal(HttpStatusCode.OK, (await first.SendAsync(HttpMethod.Delete, "/auth/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.Http.GetAsync("/api/v1/profile")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Http.GetAsync("/api/v1/profile")).StatusCode);
        using var withToken = server.AgentHttp(bob.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, (await withToken.GetAsync("/api/v1/profile")).StatusCode);
        await hub.Hub.SetAvailabilityAsync("online"); // the access token's connection stays open

        await second.SignInAsync(bob.Email);
        Assert.Equal(HttpStatusCode.OK, (await second.Http.GetAsync("/api/v1/profile")).StatusCode);
        using var admin = server.AdminHttp();
        (await admin.PatchJson($"/api/v1/agents/{bob.Id}", new { active = false })).EnsureSuccessStatusCode();
        (await admin.PatchJson($"/api/v1/agents/{bob.Id}", new { active = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Http.GetAsync("/api/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task A_profile_edit_changes_the_name_and_avatar_customers_see_on_the_agents_messages()
    {
        var server = shared.Server;
        var cy = await server.InvitedAgentAsync("Cy");
        using var tab = new AccountHttp.Browser(server);
        await tab.SignInAsync(cy.Email);
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

        var form = new MultipartFormDataContent
        {
            { new StringContent("Cyrus Smith"), "profile[name]" },
            { new StringContent("Cy from Support"), "profile[display_name]" },
            { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "profile[avatar]", "me.bin" },
        };
        var profile = await (await tab.SendAsync(HttpMethod.Patch, "/api/v1/profile", form)).Read<JsonElement>();
        Assert.Equal(("Cyrus Smith", "Cy from Support", "Cy from Support"), (profile.GetProperty("name").GetString(),
            profile.GetProperty("display_name").GetString(), profile.GetProperty("available_name").GetString()));
        var avatarUrl = profile.GetProperty("avatar_url").GetString()!;
        Assert.StartsWith("/avatars/", avatarUrl);
        var image = await server.Http.GetAsync(avatarUrl);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());

        // Up to Accounts:MaxAvatarBytes (256 KiB) is taken, larger is refused (nothing changes).
        var large = new byte[200 * 1024];
        png.AsSpan(0, 16).CopyTo(large);
        var bigger = new byte[257 * 1024];
        png.AsSpan(0, 16).CopyTo(bigger);
        Assert.Equal(HttpStatusCode.OK, (await tab.SendAsync(HttpMethod.Patch, "/api/v1/profile",
            new MultipartFormDataContent { { new ByteArrayContent(large), "avatar", "large.png" } })).StatusCode);
        await (await tab.SendAsync(HttpMethod.Patch, "/api/v1/profile",
            new MultipartFormDataContent { { new ByteArrayContent(bigger), "avatar", "bigger.png" } })).AssertValidation("avatar");
        var withLarge = await tab.Http.GetRead<JsonElement>("/api/v1/profile");
        avatarUrl = withLarge.GetProperty("avatar_url").GetString()!;
        Assert.Equal(large.Length, (await server.Http.GetByteArrayAsync(avatarUrl)).Length);

        var notImage = new MultipartFormDataContent { { new ByteArrayContent("<svg onload=alert(1)>"u8.ToArray()), "avatar", "x.svg" } };
        await (await tab.SendAsync(HttpMethod.Patch, "/api/v1/profile", notImage)).AssertValidation("avatar");

        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hello");
        var sent = await tab.SendAsync(HttpMethod.Post, $"/api/v1/conversations/{conversation.Id}/messages",
            JsonContent.Create(new { content = "Hi, Cy here" }, options: RestApi.Json));
        sent.EnsureSuccessStatusCode();
        var seen = (await server.MessagesAsContact(contact, conversation.Id)).Last();
        Assert.Equal(("Cy from Support", avatarUrl), (seen.Sender!.Name, seen.Sender.AvatarUrl));

        // The avatar removed: none is served any more.
        var removed = await (await tab.SendAsync(HttpMethod.Patch, "/api/v1/profile", JsonContent.Create(new { profile = new { avatar_url = "" } }))).Read<JsonElement>();
        Assert.Equal("", removed.GetProperty("avatar_url").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync(avatarUrl)).StatusCode);
    }
}
