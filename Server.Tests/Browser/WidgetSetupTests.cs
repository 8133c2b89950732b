using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>What a site owner sees while putting the widget on a page: a wrong data-inbox says so, once, in the
/// browser's console, naming the identifier it was given (and the visitor sees the chat is not available).</summary>
public sealed class WidgetSetupTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
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
