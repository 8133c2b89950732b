using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Accounts;

/// <summary>POST /auth/sign_in over real HTTP, on the store CHATHUB_TEST_STORE names (sqlite, postgres, litedb): Chatwoot's
/// answer shape and headers, the session token working as a credential, one 401 for a wrong password and an unknown
/// email alike, and the lockout after repeated failures (which looks the same for an email nobody has).</summary>
public sealed class PasswordSignInTests(LockoutServer shared) : IClassFixture<LockoutServer>
{
    [Fact]
    public async Task Sign_in_answers_chatwoots_user_with_a_session_token_that_works_as_a_credential()
    {
        var server = shared.Server;
        var ann = await server.InvitedAgentAsync("Ann");

        var answer = await server.SignInAsync(ann.Email.ToUpperInvariant(), AccountHttp.Password);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var data = (await answer.JsonBody()).GetProperty("data");
        AssertFields(data, "id", "email", "name", "access_token", "account_id", "role", "pubsub_token", "uid", "provider", "available_name",
            "avatar_url", "display_name", "accounts");
        Assert.Equal((ann.Id, ann.Email, "Ann", 1L, "agent"), (data.GetProperty("id").GetInt64(), data.GetProperty("email").GetString(),
            data.GetProperty("name").GetString(), data.GetProperty("account_id").GetInt64(), data.GetProperty("role").GetString()));
        var token = data.GetProperty("access_token").GetString()!;
        Assert.Equal(token, answer.Headers.GetValues("access-token").Single());
        Assert.Equal(ann.Email, answer.Headers.GetValues("uid").Single());
        Assert.NotEmpty(answer.Headers.GetValues("client").Single());
        Assert.False(answer.Headers.Contains("Set-Cookie")); // an app's sign-in: no cookie

        // The session token opens the agent API as api_access_token, as devise_token_auth's header, and the hub.
        using (var asApi = server.AgentHttp(token)) Assert.Equal(ann.Id, (await asApi.GetRead<JsonElement>("/api/v1/profile")).GetProperty("id").GetInt64());
        using (var asDevise = new HttpClient { BaseAddress = server.BaseUrl })
        {
            asDevise.DefaultRequestHeaders.Add("access-token", token);
            asDevise.DefaultRequestHeaders.Add("uid", ann.Email);
            var validated = await asDevise.GetRead<JsonElement>("/auth/validate_token");
            Assert.Equal(ann.Id, validated.GetProperty("data").GetProperty("id").GetInt64());
            // Signing out ends it.
            Assert.Equal(HttpStatusCode.OK, (await asDevise.DeleteAsync("/auth/sign_out")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await asDevise.GetAsync("/auth/validate_token")).StatusCode);
        }
        // The agent's access token, for integrations, still works.
        using var withAccessToken = server.AgentHttp(ann.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, (await withAccessToken.GetAsync("/api/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task A_used_session_slides_its_expiry_and_an_expired_one_opens_nothing()
    {
        var server = shared.Server;
        var fay = await server.InvitedAgentAsync("Fay");
        var token = (await (await server.SignInAsync(fay.Email, AccountHttp.Password)).JsonBody()).GetProperty("data").GetProperty("access_token").GetString()!;
        var store = server.App.Services.GetRequiredService<IChatStore>();
        var session = (await store.ReadAsync(r => r.FindAgentSecretAsync(Identity.Tokens.LookupHash(token))))!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.InRange(session.ExpiresAt, now + TimeSpan.FromDays(13).TotalMilliseconds, now + TimeSpan.FromDays(15).TotalMilliseconds);

        // Last used two minutes ago, ending in 30 s: a use moves its end 14 days on.
        await store.WriteAsync(async w => { await w.TouchAgentSecretAsync(session.Id, now - 120_000, now + 30_000); return 0; });
        using var http = server.AgentHttp(token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/profile")).StatusCode);
        var slid = (await store.ReadAsync(r => r.FindAgentSecretAsync(session.TokenHash)))!;
        Assert.True(slid.ExpiresAt > now + TimeSpan.FromDays(13).TotalMilliseconds);

        // Expired: refused.
        await store.WriteAsync(async w => { await w.TouchAgentSecretAsync(session.Id, now - 120_000, now - 1); return 0; });
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_401()
    {
        var server = shared.Server;
        var bob = await server.InvitedAgentAsync("Bob");

        var wrong = await server.SignInAsync(bob.Email, "not the password");
        var unknown = await server.SignInAsync($"nobody-{Guid.NewGuid():N}@example.com", AccountHttp.Password);
        var noPassword = await server.SignInAsync((await server.CreateAgent("Invited only")).Email, "anything at all");
        foreach (var answer in new[] { wrong, unknown, noPassword })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.False(answer.Headers.Contains("access-token"));
        }
        var details = await Task.WhenAll(new[] { wrong, unknown, noPassword }.Select(async a => (await a.Problem()).GetProperty("detail").GetString()));
        Assert.Single(details.Distinct());
        Assert.Equal(HttpStatusCode.OK, (await server.SignInAsync(bob.Email, AccountHttp.Password)).StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_email_out_even_for_the_right_password_and_an_unknown_email_alike()
    {
        var server = shared.Server;
        var cy = await server.InvitedAgentAsync("Cy");
        var nobody = $"nobody-{Guid.NewGuid():N}@example.com";

        foreach (var email in new[] { cy.Email, nobody })
        {
            for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await server.SignInAsync(email, $"guess {i}")).StatusCode);
            var locked = await server.SignInAsync(email, AccountHttp.Password);
            await locked.AssertProblem(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
            Assert.True(locked.Headers.RetryAfter is not null);
        }
        // Another agent is not locked out by Cy's failures.
        var dee = await server.InvitedAgentAsync("Dee");
        Assert.Equal(HttpStatusCode.OK, (await server.SignInAsync(dee.Email, AccountHttp.Password)).StatusCode);
    }

    [Fact]
    public async Task An_invitation_sets_a_password_once_and_a_reset_link_replaces_it_and_ends_every_session()
    {
        var server = shared.Server;
        var eve = await server.CreateAgent("Eve");
        Assert.Equal(AccountLinkPurposes.Invitation, eve.Invitation!.Purpose);
        Assert.StartsWith("/agent/#invite=", eve.Invitation.Url);
        Assert.InRange(eve.Invitation.ExpiresAt, NowSeconds() + 6 * 86400, NowSeconds() + 8 * 86400);
        var token = eve.Invitation.Url.Split("#invite=")[1];
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        await (await http.PutAsJsonAsync("/auth/password", new { reset_password_token = token, password = "short" }, RestApi.Json)).AssertValidation("password");
        var accepted = await http.PutAsJsonAsync("/auth/password", new { reset_password_token = token, password = AccountHttp.Password }, RestApi.Json);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var session = (await accepted.JsonBody()).GetProperty("data").GetProperty("access_token").GetString()!;
        await (await http.PutAsJsonAsync("/auth/password", new { reset_password_token = token, password = "another password" }, RestApi.Json))
            .AssertValidation("reset_password_token");

        using var admin = server.AdminHttp();
        var reset = await admin.PostRead<AccountLinkDto>($"/api/v1/agents/{eve.Id}/account_link", new { });
        Assert.Equal(AccountLinkPurposes.PasswordReset, reset.Purpose);
        var resetToken = reset.Url.Split("#reset=")[1];
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync("/auth/password",
            new { reset_password_token = resetToken, password = "a brand new password" }, RestApi.Json)).StatusCode);
        using var withOldSession = server.AgentHttp(session);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withOldSession.GetAsync("/api/v1/profile")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.SignInAsync(eve.Email, AccountHttp.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SignInAsync(eve.Email, "a brand new password")).StatusCode);
        Assert.True((await admin.GetRead<List<AgentDto>>("/api/v1/agents")).Single(a => a.Id == eve.Id).PasswordSet);

        using var asEve = server.AgentHttp(eve.AccessToken!);
        await (await asEve.PostJson($"/api/v1/agents/{eve.Id}/account_link", new { })).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }
}

/// <summary>The first administrator's password from configuration (Bootstrap:AgentPassword): stored hashed, never
/// logged, and no invitation link is made.</summary>
public sealed class BootstrapPasswordTests
{
    [Fact]
    public async Task The_bootstrap_administrator_signs_in_with_the_configured_password()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Bootstrap:AgentPassword"] = "first admin password" });
        var answer = await server.SignInAsync("ADMIN@example.com", "first admin password");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("administrator", (await answer.JsonBody()).GetProperty("data").GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.SignInAsync("admin@example.com", "first admin passwor")).StatusCode);
    }
}
