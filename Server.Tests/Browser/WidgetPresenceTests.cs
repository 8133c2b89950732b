using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The widget's header follows the agents' presence live (issue 24): with the panel open and nothing reloaded,
/// "We're online" appears when an agent of the inbox connects with online chosen, and goes a grace after their last
/// connection closed (the InboxAvailabilityChanged push); the console's Settings > Agents follows PresenceChanged.</summary>
public sealed class WidgetPresenceTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task The_header_says_we_are_online_while_an_agent_is_connected_and_stops_once_their_console_closes()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Presence:Grace"] = "00:00:01" });
        using var admin = server.AdminHttp();
        (await admin.PatchJson("/api/v1/inboxes/1", new { reply_time = "in_a_day" })).EnsureSuccessStatusCode();
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("visitor"), server.BaseUrl, server.InboxIdentifier);
        var subtitle = widget.Page.Locator("chathub-widget .subtitle");
        await widget.OpenAsync();
        await widget.SendAndWaitAsync("Anyone there?"); // the widget has a session (its hub connection) from here on
        await Expect(subtitle).ToHaveTextAsync("We typically reply in a day");

        var console = await HubSession.ConnectAsync(server, server.AgentToken);
        await console.Hub.SetAvailabilityAsync("online");
        await Expect(subtitle).ToHaveTextAsync("We're online · we typically reply in a day");

        await console.DisposeAsync();
        await Expect(subtitle).ToHaveTextAsync("We typically reply in a day");
    }

    [Fact]
    public async Task The_consoles_agent_list_follows_an_agents_presence_live()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Presence:Grace"] = "00:00:01" });
        var ann = await server.CreateAgent("Ann Live");
        var page = await NewPageAsync("administrator");
        await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Agents", Exact = true }).ClickAsync();
        var annsAvailability = page.Locator($".admin-agent[data-agent-id='{ann.Id}'] .admin-availability");
        await Expect(annsAvailability).ToHaveTextAsync("offline");

        var annsConsole = await HubSession.ConnectAsync(server, ann.AccessToken!);
        await annsConsole.Hub.SetAvailabilityAsync("busy");
        await Expect(annsAvailability).ToHaveTextAsync("busy");
        await annsConsole.DisposeAsync();
        await Expect(annsAvailability).ToHaveTextAsync("offline");
    }
}
