using System.Net;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Accounts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>ChatHub.Client's <see cref="AgentSignIn"/> against a real server: email and password give a session token
/// that opens an <see cref="AgentSession"/>; signing out ends it (the token then gets 401, the agent's access token
/// stays); wrong credentials are a <see cref="ChatHubUnauthorizedException"/>, and the lockout after repeated failures a
/// <see cref="ChatHubRateLimitedException"/> with Retry-After.</summary>
public sealed class AgentSignInTests(LockoutServer shared) : IClassFixture<LockoutServer>
{
    [Fact]
    public async Task A_password_sign_in_opens_an_agent_session_and_signing_out_ends_it()
    {
        var server = shared.Server;
        var ann = await server.InvitedAgentAsync("Ann");
        await using var customer = new CustomerSession(new CustomerSessionOptions { ServerUrl = server.BaseUrl, InboxIdentifier = server.InboxIdentifier, Name = "Cat" });
        await customer.StartAsync();
        var question = await customer.SendMessageAsync("hello?");

        var credential = await AgentSignIn.WithPasswordAsync(server.BaseUrl, $"  {ann.Email.ToUpperInvariant()} ", AccountHttp.Password);
        Assert.Equal((ann.Id, ann.Email, "Ann", AgentRoles.Agent), (credential.Agent.Id, credential.Agent.Email, credential.Agent.Name, credential.Agent.Role));
        Assert.NotEqual(ann.AccessToken, credential.AccessToken); // a session of its own, not the agent's access token
        Assert.Null(credential.Agent.AccessToken);                 // the secret is in one place
        Assert.DoesNotContain(credential.AccessToken, credential.ToString());
        Assert.Equal(server.BaseUrl, credential.ServerUrl);

        await using (var agent = new AgentSession(credential.ToSessionOptions()))
        {
            await agent.StartAsync();
            Assert.Equal(ann.Id, agent.Profile.Id);
            Assert.Contains(agent.Conversations, c => c.Id == question.ConversationId);
            var reply = await agent.SendMessageAsync(question.ConversationId, "hi Cat");
            Assert.Equal(ann.Id, reply.Sender!.Id);
        }

        await credential.SignOutAsync();
        await using (var afterSignOut = new AgentSession(credential.ToSessionOptions()))
            await Assert.ThrowsAsync<ChatHubUnauthorizedException>(() => afterSignOut.StartAsync());
        using (var withSession = server.AgentHttp(credential.AccessToken))
            Assert.Equal(HttpStatusCode.Unauthorized, (await withSession.GetAsync("/api/v1/profile")).StatusCode);
        await credential.SignOutAsync(); // already over: still signed out, no error

        // The agent's access token is no session: it stays, and signing out with it ends nothing.
        await AgentSignIn.SignOutAsync(server.BaseUrl, ann.AccessToken!);
        using var withAccessToken = server.AgentHttp(ann.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, (await withAccessToken.GetAsync("/api/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_one_session_leaves_the_agents_other_sessions()
    {
        var server = shared.Server;
        var bo = await server.InvitedAgentAsync("Bo");
        var laptop = await AgentSignIn.WithPasswordAsync(server.BaseUrl, bo.Email, AccountHttp.Password);
        var desktop = await AgentSignIn.WithPasswordAsync(server.BaseUrl, bo.Email, AccountHttp.Password);
        Assert.NotEqual(laptop.AccessToken, desktop.AccessToken);

        await laptop.SignOutAsync();
        await using var agent = new AgentSession(desktop.ToSessionOptions());
        await agent.StartAsync();
        Assert.Equal(bo.Id, agent.Profile.Id);
        using var withLaptop = server.AgentHttp(laptop.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withLaptop.GetAsync("/api/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task Wrong_credentials_are_unauthorized_and_repeated_failures_lock_out_with_retry_after()
    {
        var server = shared.Server;
        var cy = await server.InvitedAgentAsync("Cy");

        var wrong = await Assert.ThrowsAsync<ChatHubUnauthorizedException>(() => AgentSignIn.WithPasswordAsync(server.BaseUrl, cy.Email, "not the password"));
        var unknown = await Assert.ThrowsAsync<ChatHubUnauthorizedException>(() =>
            AgentSignIn.WithPasswordAsync(server.BaseUrl, $"nobody-{Guid.NewGuid():N}@example.com", AccountHttp.Password));
        Assert.Equal(ErrorCodes.Unauthorized, wrong.Code);
        Assert.Equal(wrong.Message, unknown.Message); // nothing tells which emails exist
        Assert.False(string.IsNullOrWhiteSpace(wrong.Message));

        // Two more failures make three in a row: the email is locked, even for the right password.
        for (var i = 0; i < 2; i++)
            await Assert.ThrowsAsync<ChatHubUnauthorizedException>(() => AgentSignIn.WithPasswordAsync(server.BaseUrl, cy.Email, $"guess {i}"));
        var locked = await Assert.ThrowsAsync<ChatHubRateLimitedException>(() => AgentSignIn.WithPasswordAsync(server.BaseUrl, cy.Email, AccountHttp.Password));
        Assert.Equal(ErrorCodes.RateLimited, locked.Code);
        Assert.NotNull(locked.RetryAfter);
        Assert.True(locked.RetryAfter > TimeSpan.Zero);
        Assert.IsAssignableFrom<ChatHubException>(locked); // one catch for every client error

        // Refused before any request: an empty email or password.
        await Assert.ThrowsAsync<ArgumentException>(() => AgentSignIn.WithPasswordAsync(server.BaseUrl, " ", AccountHttp.Password));
        await Assert.ThrowsAsync<ArgumentException>(() => AgentSignIn.WithPasswordAsync(server.BaseUrl, cy.Email, ""));
    }
}
