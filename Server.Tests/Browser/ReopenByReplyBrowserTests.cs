using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>An agent's reply into a resolved conversation reopens it (SendMessage), so the customer's widget shows
/// it open again: the reply, no "resolved" card, and the message box to answer in the same conversation.</summary>
public sealed class ReopenByReplyBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task An_agents_reply_into_a_resolved_conversation_opens_it_again_in_the_widget()
    {
        await using var server = await ChatServer.StartAsync();
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer"), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Rory Reopen");
        await widget.SendAndWaitAsync("The grinder works now, thanks.");
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent"), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Rory Reopen");
        await console.StatusButton.ClickAsync();
        await Expect(console.ThreadStatus).ToHaveTextAsync("resolved");
        await Expect(widget.Resolved).ToBeVisibleAsync();
        await Expect(widget.Input).ToBeHiddenAsync();

        await console.ReplyAndWaitAsync("One more thing: the warranty card is in the box's lid.");
        await Expect(widget.AgentMessages.Last).ToHaveTextAsync("One more thing: the warranty card is in the box's lid.");
        await Expect(widget.Resolved).ToBeHiddenAsync();
        await Expect(widget.Input).ToBeVisibleAsync();
        await Expect(console.ThreadStatus).ToHaveTextAsync("open");

        // The customer answers in the same conversation.
        await widget.SendAndWaitAsync("Found it, thanks!");
        await Expect(console.IncomingMessages.Last).ToHaveTextAsync("Found it, thanks!");
        await console.SetFilterAsync("all", "all");
        await Expect(console.Conversation("Rory Reopen")).ToHaveCountAsync(1);
    }
}
