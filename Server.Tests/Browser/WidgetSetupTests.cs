using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>What a site owner sees while putting the widget on a page: a wrong data-inbox says so, once, in the
/// browser's console, naming the identifier it was given (and the visitor sees the chat is not available).</summary>
public sealed class WidgetSetupTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task The_header_follows_the_inbox_reply_time_agents_online_and_working_hours()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        (await admin.PatchJson("/api/v1/inboxes/1", new { reply_time = "in_a_day" })).EnsureSuccessStatusCode();
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("visitor"), server.BaseUrl, server.InboxIdentifier);
        var subtitle = widget.Page.Locator("chathub-widget .subtitle");

        await widget.OpenAsync();
        await Expect(subtitle).ToHaveTextAsync("We typically reply in a day");

        // An agent of the inbox comes online: the header says so the next time the widget reads the inbox (on
        // opening its panel, or, as here, on the next page).
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        await agent.Hub.SetAvailabilityAsync("online");
        await widget.Page.ReloadAsync();
        await widget.OpenAsync();
        await Expect(subtitle).ToHaveTextAsync("We're online · we typically reply in a day");

        // Closed every day: away, whoever is online.
        var closed = Enumerable.Range(0, 7).Select(day => new { day_of_week = day, closed_all_day = true }).ToArray();
        (await admin.PatchJson("/api/v1/inboxes/1", new { working_hours = closed })).EnsureSuccessStatusCode();
        await widget.Page.ReloadAsync();
        await widget.OpenAsync();
        await Expect(subtitle).ToHaveTextAsync("We're away now · we'll reply when we're back");
    }

    [Fact]
    public async Task A_wrong_data_inbox_logs_one_clear_line_naming_it()
    {
        await using var server = await ChatServer.StartAsync();
        var page = await NewPageAsync("site owner");
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };

        var widget = await WidgetPage.OpenDemoAsync(page, server.BaseUrl, "no-such-inbox-42");
        await widget.OpenAsync();
        await Expect(widget.Panel).ToContainTextAsync("not available");

        var lines = errors.Where(e => e.StartsWith("ChatHub widget:")).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("\"no-such-inbox-42\"", line);
        Assert.Contains("data-inbox", line);
    }
}
