using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Markdown in both front ends (markdown-it, raw HTML off): formatting shows as elements, HTML in a
/// message shows as text and never runs.</summary>
public sealed class MarkdownBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Formatted = "Here is **bold**, *italic*, `inline code` and [our site](https://example.com/help):\n\n" +
                                     "- first step\n- second step\n\n```\nline one\nline two\n```";
    private const string Html = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task Markdown_renders_in_the_widget_and_the_console_and_html_in_content_stays_text()
    {
        await using var server = await ChatServer.StartAsync();
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1100, 820), server.BaseUrl, server.InboxIdentifier);
        var dialogs = new List<string>();
        widget.Page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Mark Down");
        await widget.SendAsync("Hello, **how** do I `reset` it?");
        await Expect(widget.OwnRow("Hello, how do I reset it?")).ToHaveAttributeAsync("data-status", new Regex("^(sent|read)$"));
        await widget.SendAndWaitAsync(Html);

        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);
        console.Page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };
        await console.OpenAsync("Mark Down");
        await console.ReplyAsync(Formatted);
        await Expect(console.OutgoingRow("first step")).ToHaveAttributeAsync("data-status", new Regex("^(sent|read)$"));

        // The list's preview reads as text, without the marks.
        await Expect(console.Conversation("Mark Down").Locator(".conv-preview")).ToHaveTextAsync(
            "You: Here is bold, italic, inline code and our site: first step second step line one line two");

        // The agent's reply, in the widget.
        var reply = widget.AgentMessages.Last;
        await Expect(reply.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(reply.Locator("em")).ToHaveTextAsync("italic");
        await Expect(reply.Locator("p code")).ToHaveTextAsync("inline code");
        await Expect(reply.Locator("pre code")).ToHaveTextAsync(new Regex("line one\\s+line two"));
        await Expect(reply.Locator("ul > li")).ToHaveTextAsync(["first step", "second step"]);
        var link = reply.Locator("a");
        await Expect(link).ToHaveAttributeAsync("href", "https://example.com/help");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");
        await Expect(link).ToHaveAttributeAsync("rel", new Regex(@"\bnoopener\b.*\bnoreferrer\b"));

        // The same reply in the console, and the customer's own Markdown both sides.
        var sent = console.OutgoingRow("first step").Locator(".bubble");
        await Expect(sent.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(sent.Locator("ul > li")).ToHaveCountAsync(2);
        await Expect(sent.Locator("pre code")).ToHaveCountAsync(1);
        await Expect(sent.Locator("a[target=_blank]")).ToHaveAttributeAsync("href", "https://example.com/help");
        await Expect(console.IncomingMessages.First.Locator("strong")).ToHaveTextAsync("how");
        await Expect(widget.OwnMessages.First.Locator("code")).ToHaveTextAsync("reset");

        // HTML in content is text on both sides: no element made from it, no script run.
        await Expect(widget.OwnMessages.Last).ToHaveTextAsync(Html);
        await Expect(console.IncomingMessages.Last).ToHaveTextAsync(Html);
        await Expect(widget.Page.Locator("chathub-widget .log img")).ToHaveCountAsync(0);
        await Expect(console.Page.Locator(".log img")).ToHaveCountAsync(0);
        // The agent sends it too (through the API, as a bot would).
        using var agentHttp = server.AgentHttp(server.AgentToken);
        var list = await agentHttp.GetRead<JsonElement>("/api/v1/conversations");
        var id = list.GetProperty("data")[0].GetProperty("id").GetInt64();
        await agentHttp.PostRead<JsonElement>($"/api/v1/conversations/{id}/messages", new { content = "Agent says " + Html });
        await Expect(widget.AgentMessages.Last).ToHaveTextAsync("Agent says " + Html);
        await Expect(console.OutgoingRow("Agent says")).ToBeVisibleAsync();
        await Expect(widget.Page.Locator("chathub-widget .log img")).ToHaveCountAsync(0);
        await Expect(console.Page.Locator(".log img")).ToHaveCountAsync(0);
        await Expect(console.Conversation("Mark Down").Locator(".conv-preview")).ToHaveTextAsync("You: Agent says " + Html);
        Assert.Empty(dialogs);
        await ScreenshotAsync(widget.Page, "markdown-widget");
        await ScreenshotAsync(console.Page, "markdown-console");
    }
}
