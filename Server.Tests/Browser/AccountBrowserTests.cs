using ChatHub.Server.Tests.Accounts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Agents as accounts in Chromium: an administrator creates an agent and hands on its invitation link; the
/// agent sets a password from it and is signed in; the session (a cookie) holds in a second tab and across a server
/// restart on the same database; "Sign out everywhere" ends it in every tab and browser, their hub connections
/// closed by the server; a name and avatar set in the profile dialog are what the customer's widget shows.</summary>
public sealed class AccountBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Password = "a long enough password";

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    [Fact]
    public async Task An_invitation_is_accepted_the_session_survives_a_second_tab_and_a_restart_and_sign_out_everywhere_ends_it()
    {
        var server = await ChatServer.StartAsync();
        try
        {
            // The administrator creates Nia in Settings > Agents and copies her invitation link.
            var admin = await NewPageAsync("admin", 1360, 900);
            await ConsolePage.SignInAsync(admin, server.BaseUrl, server.AgentToken);
            await admin.Locator("#settings-button").ClickAsync();
            await admin.GetByRole(AriaRole.Tab, new() { Name = "Agents", Exact = true }).ClickAsync();
            var email = $"nia-{Guid.NewGuid():N}@example.com";
            await admin.Locator("form[aria-label='New agent'] input[name=name]").FillAsync("Nia New");
            await admin.Locator("form[aria-label='New agent'] input[name=email]").FillAsync(email);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Create agent" }).ClickAsync();
            var linkBox = admin.Locator(".admin-link textarea");
            await Expect(linkBox).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/agent/#invite="));
            var link = await linkBox.InputValueAsync();
            await Expect(admin.Locator(".admin-agent", new() { HasText = "Nia New" }).Locator(".pill", new() { HasText = "invited" })).ToBeVisibleAsync();

            // Nia opens it in her browser, sets a password and is in; the link is gone from the address.
            var nia = await NewPageAsync("nia", 1280, 800);
            await nia.GotoAsync(link);
            await Expect(nia.Locator("#setpassword-title")).ToHaveTextAsync("Welcome! Set your password");
            await nia.Locator("#new-password").FillAsync(Password);
            await nia.Locator("#confirm-password").FillAsync(Password);
            await nia.Locator("#setpassword-button").ClickAsync();
            await ConsolePage.SignedInAsync(nia);
            await Expect(nia.Locator("#me-name")).ToHaveTextAsync("Nia New");
            Assert.DoesNotContain("invite", nia.Url);
            await ScreenshotAsync(nia, "account-invitation-accepted");

            // The link works once.
            var stranger = await NewPageAsync("stranger");
            await stranger.GotoAsync(link);
            await stranger.Locator("#new-password").FillAsync("another password!");
            await stranger.Locator("#confirm-password").FillAsync("another password!");
            await stranger.Locator("#setpassword-button").ClickAsync();
            await Expect(stranger.Locator("#setpassword-error")).ToContainTextAsync("used already or has expired");

            // A second tab of her browser is signed in by the same session.
            var secondTab = await NewTabAsync("nia tab 2", nia);
            await secondTab.GotoAsync(new Uri(server.BaseUrl, "/agent/").ToString());
            await ConsolePage.SignedInAsync(secondTab);

            // The server restarts on the same database and port: both tabs reconnect, and a reload is still signed in.
            var (baseUrl, dbPath) = (server.BaseUrl, server.DbPath);
            var (token, identifier, hmac) = (server.AgentToken, server.InboxIdentifier, server.HmacToken);
            await server.DisposeAsync();
            await Expect(new ConsolePage(nia).Banner).ToHaveTextAsync("Reconnecting…");
            server = await ChatServer.StartAsync(dbPath, new Dictionary<string, string?> { ["Urls"] = baseUrl.GetLeftPart(UriPartial.Authority) },
                token, identifier, hmac);
            await Expect(new ConsolePage(nia).Banner).ToBeHiddenAsync();
            await Expect(new ConsolePage(secondTab).Banner).ToBeHiddenAsync();
            await secondTab.ReloadAsync();
            await ConsolePage.SignedInAsync(secondTab);

            // Nia also signed in on another computer (another browser context), with her password.
            var laptop = await NewPageAsync("nia laptop", 1280, 800);
            await ConsolePage.SignInWithPasswordAsync(laptop, server.BaseUrl, email, Password);

            // Sign out everywhere, from the first tab's profile dialog: every tab and the laptop are signed out, the
            // laptop's hub connection closed by the server (it still holds its cookie, which opens nothing now).
            nia.Dialog += async (_, dialog) => await dialog.AcceptAsync();
            await nia.Locator("#me").ClickAsync();
            await nia.Locator(".profile-dialog [data-action=signout-everywhere]").ClickAsync();
            await Expect(nia.Locator("#signin-form")).ToBeVisibleAsync();
            await Expect(laptop.Locator("#signin-form")).ToBeVisibleAsync();
            await Expect(laptop.Locator("#signin-error")).ToHaveTextAsync("Your session has ended. Sign in again.");
            await secondTab.ReloadAsync();
            await Expect(secondTab.Locator("#signin-form")).ToBeVisibleAsync();
            await laptop.ReloadAsync();
            await Expect(laptop.Locator("#signin-form")).ToBeVisibleAsync();
            await ScreenshotAsync(laptop, "account-signed-out-everywhere");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_name_and_avatar_set_in_the_profile_are_shown_in_the_widget()
    {
        await using var server = await ChatServer.StartAsync();
        var ola = await server.InvitedAgentAsync("Ola Agent");
        var console = await ConsolePage.SignInWithPasswordAsync(await NewPageAsync("ola", 1360, 860), server.BaseUrl, ola.Email, AccountHttp.Password);

        await console.Page.Locator("#me").ClickAsync();
        var dialog = console.Page.Locator(".profile-dialog");
        await dialog.Locator("input[name=name]").FillAsync("Ola Nordmann");
        await dialog.Locator("input[name=display_name]").FillAsync("Ola from Support");
        await dialog.Locator("input[name=avatar]").SetInputFilesAsync(new FilePayload { Name = "ola.png", MimeType = "image/png", Buffer = Png });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog.Locator("[role=status]", new() { HasText = "Saved." })).ToBeVisibleAsync();
        await Expect(dialog.Locator(".profile-avatar img")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/avatars/"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(console.Page.Locator("#me-name")).ToHaveTextAsync("Ola Nordmann");
        await Expect(console.Page.Locator("#me-avatar img")).ToBeVisibleAsync();

        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1100, 760), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Kim Customer");
        await widget.SendAndWaitAsync("Hello, anyone there?");
        await console.OpenAsync("Kim Customer");
        await console.ReplyAndWaitAsync("Hi Kim, Ola here.");

        var agentRow = widget.Page.Locator("chathub-widget .row.them:not(.greeting)", new() { HasText = "Hi Kim, Ola here." });
        await Expect(agentRow.Locator(".sender")).ToHaveTextAsync("Ola from Support");
        var avatar = agentRow.Locator(".avatar img");
        await Expect(avatar).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("/avatars/[0-9a-f]{32}$"));
        Assert.True(await avatar.EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 1"));
        await Expect(widget.Page.Locator("chathub-widget .avatars .avatar img")).ToHaveCountAsync(1); // the header shows her too
        await ScreenshotAsync(widget.Page, "account-avatar-in-widget");
    }
}
