using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The console's notifications while its tab is hidden: a beep (Web Audio) and a desktop notification
/// for a new conversation and for a customer message, permission asked on the first click; the title keeps the
/// unread count. The page's Notification and AudioContext are observed (a headless browser shows and plays
/// nothing), everything else is the real console against a real server.</summary>
public sealed class ConsoleNotificationBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Records notifications and oscillators; permission is "default" until the console asks for it.</summary>
    private const string Observe = """
        window.__notifications = [];
        window.__permissionRequests = 0;
        window.__beeps = 0;
        class RecordingNotification {
          constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); }
          close() {}
        }
        RecordingNotification.permission = "default";
        RecordingNotification.requestPermission = () => {
          window.__permissionRequests++;
          RecordingNotification.permission = "granted";
          return Promise.resolve("granted");
        };
        window.Notification = RecordingNotification;
        const createOscillator = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function () { window.__beeps++; return createOscillator.call(this); };
        """;

    private const string Hide = """
        () => {
          Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
          Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
          document.dispatchEvent(new Event("visibilitychange"));
        }
        """;

    [Fact]
    public async Task A_hidden_console_beeps_and_notifies_of_a_new_conversation_and_a_customer_message()
    {
        await using var server = await ChatServer.StartAsync();
        var agentPage = await NewPageAsync("agent", 1360, 820);
        await agentPage.AddInitScriptAsync(Observe);
        var console = await ConsolePage.SignInAsync(agentPage, server.BaseUrl, server.AgentToken);
        Assert.Equal(1, await agentPage.EvaluateAsync<int>("window.__permissionRequests")); // the sign-in click
        await agentPage.Locator(".sidebar-head h1").ClickAsync();
        Assert.Equal(1, await agentPage.EvaluateAsync<int>("window.__permissionRequests")); // asked once
        await agentPage.EvaluateAsync(Hide);

        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer"), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Nina Notify");
        await widget.SendAndWaitAsync("Is anyone there?");
        await Expect(console.Conversation("Nina Notify")).ToBeVisibleAsync();
        await AssertNotificationsAsync(agentPage, ("New conversation: Nina Notify", "Is anyone there?"));

        await widget.SendAndWaitAsync("Hello again");
        await AssertNotificationsAsync(agentPage, ("New conversation: Nina Notify", "Is anyone there?"), ("Nina Notify", "Hello again"));
        Assert.Equal(2, await agentPage.EvaluateAsync<int>("window.__beeps"));
        await Expect(agentPage).ToHaveTitleAsync("(2) Conversations · ChatHub");
    }

    private static async Task AssertNotificationsAsync(Microsoft.Playwright.IPage page, params (string Title, string Body)[] expected)
    {
        var want = JsonSerializer.Serialize(expected.Select(e => new { title = e.Title, body = e.Body }));
        await page.WaitForFunctionAsync($"JSON.stringify(window.__notifications) === {JsonSerializer.Serialize(want)}");
    }
}
