using System.Net;
using Avalonia.Headless.XUnit;
using ChatHub.Samples.Desk.Tests.Infrastructure;
using ChatHub.Samples.Desk.ViewModels;
using Xunit;

namespace ChatHub.Samples.Desk.Tests;

/// <summary>The sign-in form's email and password (its default) against a real server, with an agent that accepted
/// its invitation: the right password opens the desk, a wrong one says so (and repeated ones are locked out), and
/// signing out ends the session on the server (its token then gets 401).</summary>
public sealed class PasswordSignInTests
{
    [AvaloniaFact]
    public async Task The_right_password_opens_the_desk_with_a_session_of_its_own()
    {
        await using var server = await DeskServer.StartAsync();
        var dana = await server.InvitedAgentAsync("Dana Reyes", "dana@example.com");
        var ann = await server.CustomerAsync("Ann Lee");
        await ann.SendMessageAsync("Hi, my order has not arrived");

        var main = new MainViewModel();
        Assert.True(main.SignIn.UsePassword);
        main.SignIn.ServerUrl = server.BaseUrl.ToString();
        main.SignIn.Email = "Dana@Example.com ";
        Assert.False(main.SignIn.SignInCommand.CanExecute(null)); // no password yet
        main.SignIn.Password = DeskServer.AgentPassword;
        await main.SignIn.SignInCommand.ExecuteAsync(null);

        var desk = Assert.IsType<DeskViewModel>(main.CurrentPage);
        await using var _ = desk;
        Assert.Null(main.SignIn.Error);
        Assert.Equal("Dana Reyes", desk.AgentName);
        Assert.Equal(dana.Id, desk.Session.Profile.Id);
        Assert.Equal(ann.Conversation!.Id, Assert.Single(desk.Conversations).Id);
        Assert.Equal("", main.SignIn.Password);               // not kept in the form
        Assert.Equal("Dana@Example.com ", main.SignIn.Email);  // kept, for the next sign-in
        // A session token, not the agent's access token.
        Assert.NotEqual(dana.AccessToken, desk.SignedInWith!.SessionOptions.AccessToken);
    }

    [AvaloniaFact]
    public async Task A_wrong_password_shows_the_error_and_repeated_ones_are_locked_out()
    {
        await using var server = await DeskServer.StartAsync();
        var dana = await server.InvitedAgentAsync("Dana Reyes", "dana@example.com");
        var main = new MainViewModel();
        main.SignIn.ServerUrl = server.BaseUrl.ToString();
        main.SignIn.Email = dana.Email;

        main.SignIn.Password = "not my password";
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        Assert.Equal("Wrong email or password.", main.SignIn.Error);
        Assert.IsType<SignInViewModel>(main.CurrentPage);
        Assert.Equal("not my password", main.SignIn.Password); // left to correct

        main.SignIn.Email = "nobody@example.com"; // an unknown email reads the same
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        Assert.Equal("Wrong email or password.", main.SignIn.Error);

        // The server locks the email after Accounts:MaxFailedSignIns (5) failures in a row; then even the right
        // password gets "try again later", with the wait the server named.
        main.SignIn.Email = dana.Email;
        for (var i = 1; i < 5; i++) await main.SignIn.SignInCommand.ExecuteAsync(null);
        Assert.Equal("Wrong email or password.", main.SignIn.Error);
        main.SignIn.Password = DeskServer.AgentPassword;
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        Assert.Matches(@"^Too many sign-in attempts: try again in \d+ (s|min)\.$", main.SignIn.Error);
        Assert.IsType<SignInViewModel>(main.CurrentPage);
    }

    [AvaloniaFact]
    public async Task Signing_out_ends_the_session_on_the_server()
    {
        await using var server = await DeskServer.StartAsync();
        var dana = await server.InvitedAgentAsync("Dana Reyes", "dana@example.com");
        var main = new MainViewModel();
        main.SignIn.ServerUrl = server.BaseUrl.ToString();
        main.SignIn.Email = dana.Email;
        main.SignIn.Password = DeskServer.AgentPassword;
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        var desk = Assert.IsType<DeskViewModel>(main.CurrentPage);
        var sessionToken = desk.SignedInWith!.SessionOptions.AccessToken;
        using var withSession = new HttpClient { BaseAddress = server.BaseUrl };
        withSession.DefaultRequestHeaders.Add("api_access_token", sessionToken);
        Assert.Equal(HttpStatusCode.OK, (await withSession.GetAsync("/api/v1/profile")).StatusCode);

        await desk.SignOutCommand.ExecuteAsync(null);
        Assert.IsType<SignInViewModel>(main.CurrentPage);
        Assert.Null(main.SignIn.Error); // the server was told
        Assert.False(desk.IsBannerVisible); // the connection it closed was the desk's own, stopped already
        Assert.Equal(HttpStatusCode.Unauthorized, (await withSession.GetAsync("/api/v1/profile")).StatusCode);
        // The agent's access token is not touched; signing in again gives a new session.
        using var withAccessToken = new HttpClient { BaseAddress = server.BaseUrl };
        withAccessToken.DefaultRequestHeaders.Add("api_access_token", dana.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await withAccessToken.GetAsync("/api/v1/profile")).StatusCode);

        main.SignIn.Password = DeskServer.AgentPassword;
        await main.SignIn.SignInCommand.ExecuteAsync(null);
        var again = Assert.IsType<DeskViewModel>(main.CurrentPage);
        await using var __ = again;
        Assert.NotEqual(sessionToken, again.SignedInWith!.SessionOptions.AccessToken);
    }
}
