using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Visitors on the site (issue 27), in Chromium: a visitor browsing two pages of a customer's own site (another
/// origin) shows in the console's Visitors view with both pages, before writing anything; the agent starts a chat from
/// there, and the visitor's widget opens with the agent's message.</summary>
public sealed class VisitorsBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task A_visitor_browsing_two_pages_shows_in_the_Visitors_view_and_an_agents_chat_opens_their_widget()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Visitors:HeartbeatInterval"] = "00:00:01",
            ["Visitors:PresenceWindow"] = "00:00:30",
        });
        await using var site = await HostSite.StartAsync();
        var widgetData = new Dictionary<string, string> { ["inbox"] = server.InboxIdentifier };
        var home = site.AddWidgetPage("home", server.BaseUrl, widgetData);
        var pricing = site.AddWidgetPage("pricing", server.BaseUrl, widgetData);

        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1280, 800, forDocs: true), server.BaseUrl, server.AgentToken);
        var visitorPage = await NewPageAsync("visitor", 1100, 750);
        await visitorPage.GotoAsync(home);
        var widget = new WidgetPage(visitorPage);
        await Expect(widget.Launcher).ToBeVisibleAsync();
        await visitorPage.GotoAsync(pricing);
        await Expect(widget.Launcher).ToBeVisibleAsync();

        var agent = console.Page;
        await agent.Locator("#visitors-button").ClickAsync();
        var visitor = agent.Locator(".visitor");
        await Expect(visitor).ToHaveCountAsync(1);
        await Expect(visitor.Locator(".visitor-pages li")).ToHaveTextAsync(["home", "pricing"]);
        await Expect(visitor.Locator(".visitor-current")).ToHaveTextAsync("pricing");
        await Expect(visitor.Locator(".visitor-meta")).ToContainTextAsync("2 pages this visit");
        await Expect(visitor.Locator(".visitor-badge")).ToHaveTextAsync("New");
        await Expect(agent.Locator("#visitors-button")).ToContainTextAsync("(1)");
        await ScreenshotAsync(agent, "console-visitors");

        await visitor.Locator(".start-chat").ClickAsync();
        await agent.Locator(".visitors-message").FillAsync("Hi! Can I help you with our pricing?");
        await agent.Locator(".visitors-chat button[type=submit]").ClickAsync();
        await Expect(console.Thread).ToBeVisibleAsync();
        await Expect(agent.Locator(".msg.out .bubble").Last).ToHaveTextAsync("Hi! Can I help you with our pricing?");

        // The widget learns it at its next heartbeat: it continues as the new contact and opens with the message.
        await Expect(widget.Panel).ToBeVisibleAsync();
        await Expect(widget.AgentMessages.Last).ToHaveTextAsync("Hi! Can I help you with our pricing?");
        await widget.SendAndWaitAsync("Yes please, which plan fits a team of 5?");
        await Expect(agent.Locator(".msg.in .bubble").Last).ToHaveTextAsync("Yes please, which plan fits a team of 5?");
    }
}
