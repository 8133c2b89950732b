using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Issue 27 in the browsers: what the customer types in the widget shows greyed under the agent's thread before it
/// is sent, goes when the box is emptied, and gives way to the message when it is sent; the widget's header shows the
/// agent who will most likely answer (display name and avatar) while that agent is online, and nobody otherwise.</summary>
public sealed class SneakPeekBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task The_agent_sees_what_the_customer_types_until_it_is_cleared_or_sent()
    {
        await using var server = await ChatServer.StartAsync();
        var ann = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1000, 760), server.BaseUrl, server.InboxIdentifier);
        await ann.OpenAsync();
        await ann.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Ann Archer");
        await ann.SendAndWaitAsync("Hello, a question about my order");

        var page = await NewPageAsync("agent", 1360, 860);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Ann Archer");
        var peek = page.Locator(".thread > .sneak-peek");
        await Expect(peek).ToBeHiddenAsync();

        await ann.Input.PressSequentiallyAsync("My order number is 12345", new() { Delay = 20 });
        await Expect(peek).ToBeVisibleAsync();
        await Expect(peek.Locator(".sneak-peek-label")).ToHaveTextAsync("Ann Archer is typing: ");
        await Expect(peek.Locator(".sneak-peek-text")).ToHaveTextAsync("My order number is 12345"); // the latest text (trailing)
        Assert.Equal("italic", await peek.EvaluateAsync<string>("e => getComputedStyle(e).fontStyle"));
        await ScreenshotAsync(page, "console-sneak-peek");

        await ann.Input.FillAsync(""); // emptied: an empty peek clears it
        await Expect(peek).ToBeHiddenAsync();

        await ann.Input.PressSequentiallyAsync("Where is it?", new() { Delay = 20 });
        await Expect(peek.Locator(".sneak-peek-text")).ToHaveTextAsync("Where is it?");
        await ann.Input.PressAsync("Enter");
        await Expect(console.IncomingMessages.Last).ToHaveTextAsync("Where is it?");
        await Expect(peek).ToBeHiddenAsync(); // the message took its place
    }

    [Fact]
    public async Task An_administrator_turns_sneak_peek_off_in_the_inbox_settings()
    {
        await using var server = await ChatServer.StartAsync();
        var inboxName = (await server.Http.GetRead<InboxDto>(server.ClientApi)).Name;
        var page = await NewPageAsync("admin", 1360, 900);
        await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Inboxes", Exact = true }).ClickAsync();
        var card = page.Locator(".admin-inbox", new() { Has = page.Locator(".admin-card-title", new() { HasText = inboxName }) });
        await card.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var settings = page.Locator($"form[aria-label='Settings of {inboxName}']");
        var sneakPeek = settings.Locator("input[name=sneak_peek_enabled]");
        await Expect(sneakPeek).ToBeCheckedAsync(); // on by default
        await sneakPeek.UncheckAsync();
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(settings).ToBeHiddenAsync();
        Assert.False((await server.Http.GetRead<InboxDto>(server.ClientApi)).SneakPeekEnabled);
    }

    [Fact]
    public async Task The_widget_header_shows_the_online_agent_who_will_most_likely_answer()
    {
        await using var server = await ChatServer.StartAsync();
        using (var admin = server.AgentHttp(server.AgentToken))
        {
            var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
            var form = new MultipartFormDataContent
            {
                { new StringContent("Sam from Support"), "profile[display_name]" },
                { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "profile[avatar]", "sam.png" },
            };
            (await admin.PatchAsync("/api/v1/profile", form)).EnsureSuccessStatusCode();
        }
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1000, 760), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        var predicted = widget.Page.Locator("chathub-widget .predicted-agent");
        await Expect(predicted).ToBeHiddenAsync(); // nobody online

        await using var sam = await HubSession.ConnectAsync(server, server.AgentToken);
        await sam.Hub.SetAvailabilityAsync(Availabilities.Online);
        await widget.Page.Locator("chathub-widget .close").ClickAsync();
        await Expect(widget.Panel).ToBeHiddenAsync();
        await widget.OpenAsync(); // the panel reads the inbox again as it opens
        await Expect(predicted).ToHaveTextAsync("Most likely to answer: Sam from Support");
        await Expect(widget.Page.Locator("chathub-widget .header .avatars img")).ToHaveAttributeAsync("src", new Regex("/avatars/[^/]+$"));
        await ScreenshotAsync(widget.Page, "widget-predicted-agent");
    }
}
