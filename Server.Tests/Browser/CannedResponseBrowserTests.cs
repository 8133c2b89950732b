using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Canned responses in the console (issue 25): an administrator adds them in Settings; in the composer "/" and
/// part of a short code list the matching ones, Enter puts the content in with the contact's and the agent's names
/// filled in (it is not sent by that Enter), Escape closes the list, and the next Enter sends the reply to the
/// customer's widget.</summary>
public sealed class CannedResponseBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task A_canned_response_is_inserted_by_slash_and_enter_with_its_variables_filled_then_sent()
    {
        await using var server = await ChatServer.StartAsync();
        var ann = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1000, 760), server.BaseUrl, server.InboxIdentifier);
        await ann.OpenAsync();
        await ann.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Ann Archer");
        await ann.SendAndWaitAsync("Where is my refund?");

        var page = await NewPageAsync("agent", 1360, 860);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await Expect(page.Locator("#me-name")).ToHaveTextAsync(new Regex(@"\S"));
        var agentName = (await page.Locator("#me-name").TextContentAsync())!.Trim();

        // Settings > Canned responses: two of them.
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Canned responses", Exact = true }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New canned response" });
        async Task CreateAsync(string shortCode, string content)
        {
            await form.GetByLabel("Short code").FillAsync(shortCode);
            await form.GetByLabel("Content").FillAsync(content);
            await form.GetByRole(AriaRole.Button, new() { Name = "Create canned response" }).ClickAsync();
            await Expect(page.Locator(".admin-canned", new() { HasText = "/" + shortCode })).ToBeVisibleAsync();
        }
        await CreateAsync("refund-status", "Hi {{contact.name}}, this is {{agent.name}}: your refund is on its way.");
        await CreateAsync("welcome", "Welcome! How can I help?");
        await ScreenshotAsync(page, "settings-canned-responses");
        await AssertNoSeriousAxeViolationsAsync(page.Locator("section.admin-tab[aria-label='Canned responses']"), "Settings > Canned responses");
        await page.GetByRole(AriaRole.Button, new() { Name = "Back to conversations" }).ClickAsync();

        await console.OpenAsync("Ann Archer");
        var options = page.Locator(".canned-list .canned-option");

        // "/" alone lists both; Escape closes the list and leaves the text.
        await console.Composer.PressSequentiallyAsync("/");
        await Expect(options).ToHaveCountAsync(2);
        await console.Composer.PressAsync("Escape");
        await Expect(page.Locator(".canned-list")).ToBeHiddenAsync();
        await Expect(console.Composer).ToHaveValueAsync("/");
        await console.Composer.FillAsync("");

        // "/fund" matches the short code in its middle: one option; Enter inserts, filled, and sends nothing.
        await console.Composer.PressSequentiallyAsync("/fund");
        await Expect(options).ToHaveCountAsync(1);
        await Expect(options.First).ToHaveAttributeAsync("data-short-code", "refund-status");
        await Expect(options.First).ToHaveAttributeAsync("aria-selected", "true");
        await ScreenshotAsync(page, "console-canned-picker");
        await AssertNoSeriousAxeViolationsAsync(page.Locator(".composer"), "the composer with its list open");
        await console.Composer.PressAsync("Enter");
        var expected = $"Hi Ann Archer, this is {agentName}: your refund is on its way.";
        await Expect(console.Composer).ToHaveValueAsync(expected);
        await Expect(page.Locator(".canned-list")).ToBeHiddenAsync();
        await Expect(console.OutgoingRows).ToHaveCountAsync(0);

        // The next Enter sends it; the customer reads it.
        await console.Composer.PressAsync("Enter");
        await Expect(console.OutgoingRow(expected)).ToHaveAttributeAsync("data-status", new Regex("^(sent|read)$"));
        await Expect(ann.AgentMessages.Last).ToHaveTextAsync(expected);
        Assert.Equal([expected], await ann.AgentMessages.AllInnerTextsAsync()); // the Enter that inserted it sent nothing
        await Expect(console.Composer).ToHaveValueAsync("");
    }

    private static async Task AssertNoSeriousAxeViolationsAsync(ILocator area, string what)
    {
        var axe = await area.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, $"axe, {what}:\n" + string.Join('\n', serious));
        Assert.NotEmpty(axe.Passes);
    }
}
