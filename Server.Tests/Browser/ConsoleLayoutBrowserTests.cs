using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The agent console from a phone to a wide screen: at 390x844 and 360x740 no horizontal scroll, the list,
/// the conversation and its details each reachable and back, "Sign out" and Settings' "Back to conversations" on
/// screen, the contact's name whole; on a wide screen the details column folds away and comes back (remembered), and
/// between the two "Details" shows the details in place of the list. The phone's screenshots are docs/'s.</summary>
public sealed class ConsoleLayoutBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Customer = "Cleo Fairweather";
    private const string Email = "cleo@example.com";

    /// <summary>A returning customer: named, with an email, and a conversation, all before the console opens (so no
    /// push told the console the email: it reads it from the API).</summary>
    private static async Task StartConversationAsync(ChatServer server)
    {
        var contact = await server.CreateContact(extra: new { name = Customer, email = Email });
        var conversation = await server.StartConversation(contact, "Hi! My order #1042 has not arrived yet. Could you check where it is?");
        using var admin = server.AdminHttp();
        await admin.SendAsAgent(conversation.Id, "Hello Cleo, let me look that up for you.");
        await server.SendAsContact(contact, conversation.Id, "Thank you! It was a gift, so the sooner the better.");
    }

    private static async Task AssertNoHorizontalScrollAsync(IPage page, string where)
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= innerWidth, $"{where}: the page is {scrollWidth} px wide in a {innerWidth} px window");
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(360, 740)]
    public async Task On_a_phone_list_conversation_and_details_are_each_reachable_with_no_horizontal_scroll(int width, int height)
    {
        await using var server = await ChatServer.StartAsync();
        await StartConversationAsync(server);
        var forDocs = width == 390;
        var page = await NewPageAsync("agent", width, height, phone: true, forDocs: forDocs);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        var signOut = page.Locator("#signout");
        var details = page.Locator("#details");
        var back = page.Locator(".thread-back");
        var toggle = page.Locator(".details-toggle");

        // The list.
        await Expect(console.Conversation(Customer)).ToBeVisibleAsync();
        await Expect(signOut).ToBeInViewportAsync();
        await Expect(page.Locator("#settings-button")).ToBeInViewportAsync();
        await AssertNoHorizontalScrollAsync(page, "the list");
        var listShot = await ScreenshotAsync(page, $"console-phone-list-{width}");

        // The conversation, in place of the list: the name whole, every action and the composer on screen.
        await console.OpenAsync(Customer);
        await Expect(page.Locator(".sidebar")).ToBeHiddenAsync();
        await Expect(console.ThreadName).ToBeInViewportAsync();
        Assert.True(await console.ThreadName.EvaluateAsync<bool>("n => n.scrollWidth <= n.clientWidth && n.clientWidth > 100"),
            $"the contact's name is cut: {await console.ThreadName.EvaluateAsync<string>("n => n.clientWidth + ' of ' + n.scrollWidth + ' px'")}");
        foreach (var action in new[] { console.AssignButton, console.StatusButton, toggle, back, signOut, console.Composer })
            await Expect(action).ToBeInViewportAsync();
        await console.ReplyAndWaitAsync("It left our warehouse yesterday: tracking is on its way.");
        await AssertNoHorizontalScrollAsync(page, "the conversation");
        var threadShot = await ScreenshotAsync(page, $"console-phone-{width}");

        // Its details, under its header: the returning customer's email (from the API) and the page it came from.
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(details).ToBeVisibleAsync();
        await Expect(details.Locator(".details-email")).ToHaveTextAsync(Email);
        await Expect(console.Composer).ToBeHiddenAsync();
        await Expect(back).ToHaveAttributeAsync("aria-label", "Back to the conversation");
        await Expect(signOut).ToBeInViewportAsync();
        await AssertNoHorizontalScrollAsync(page, "the details");
        var detailsShot = await ScreenshotAsync(page, $"console-phone-details-{width}");

        // Back to the conversation, back to the list.
        await back.ClickAsync();
        await Expect(details).ToBeHiddenAsync();
        await Expect(console.Composer).ToBeVisibleAsync();
        await Expect(back).ToHaveAttributeAsync("aria-label", "Back to conversations");
        await back.ClickAsync();
        await Expect(console.Thread).ToBeHiddenAsync();
        await Expect(console.Conversation(Customer)).ToBeInViewportAsync();

        // Settings (administrators) and its "Back to conversations".
        await page.Locator("#settings-button").ClickAsync();
        var backToConversations = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Back to conversations" });
        await Expect(backToConversations).ToBeInViewportAsync();
        await AssertNoHorizontalScrollAsync(page, "Settings");
        await backToConversations.ClickAsync();
        await Expect(console.Conversation(Customer)).ToBeVisibleAsync();

        if (forDocs)
        {
            await PublishToDocsAsync(page, listShot, "console-phone-list.png");
            await PublishToDocsAsync(page, threadShot, "console-phone.png");
            await PublishToDocsAsync(page, detailsShot, "console-phone-details.png");
        }
        await signOut.ClickAsync();
        await Expect(page.Locator("#signin-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_wide_screen_the_details_column_folds_away_and_comes_back_and_it_is_remembered()
    {
        await using var server = await ChatServer.StartAsync();
        await StartConversationAsync(server);
        var page = await NewPageAsync("agent", 1360, 820);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        var details = page.Locator("#details");
        var toggle = page.Locator(".details-toggle");
        await console.OpenAsync(Customer);
        await Expect(page.Locator(".thread-back")).ToBeHiddenAsync();
        await Expect(details).ToBeVisibleAsync();
        await Expect(details.Locator(".details-email")).ToHaveTextAsync(Email);
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var withDetails = await console.Thread.BoundingBoxAsync();

        await toggle.ClickAsync();
        await Expect(details).ToBeHiddenAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Locator(".sidebar")).ToBeVisibleAsync();
        Assert.True((await console.Thread.BoundingBoxAsync())!.Width > withDetails!.Width + 200, "the conversation takes the folded column's room");

        // Folded stays folded on the next visit.
        await page.ReloadAsync();
        await Expect(page.Locator(".sidebar-head")).ToBeVisibleAsync();
        await console.OpenAsync(Customer);
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(details).ToBeHiddenAsync();
        await toggle.ClickAsync();
        await Expect(details).ToBeVisibleAsync();
        await Expect(details.Locator(".details-email")).ToHaveTextAsync(Email);
        await AssertNoHorizontalScrollAsync(page, "wide");
    }

    [Fact]
    public async Task Below_1180_px_Details_shows_the_details_in_place_of_the_list_and_back()
    {
        await using var server = await ChatServer.StartAsync();
        await StartConversationAsync(server);
        var page = await NewPageAsync("agent", 1024, 768);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        var details = page.Locator("#details");
        var sidebar = page.Locator(".sidebar");
        var toggle = page.Locator(".details-toggle");
        await console.OpenAsync(Customer);
        await Expect(details).ToBeHiddenAsync();
        await Expect(sidebar).ToBeVisibleAsync();

        await toggle.ClickAsync();
        await Expect(details).ToBeVisibleAsync();
        await Expect(details.Locator(".details-email")).ToHaveTextAsync(Email);
        await Expect(sidebar).ToBeHiddenAsync();
        await Expect(console.Composer).ToBeInViewportAsync();
        await AssertNoHorizontalScrollAsync(page, "1024 px with details");
        await ScreenshotAsync(page, "console-1024-details");

        await toggle.ClickAsync();
        await Expect(details).ToBeHiddenAsync();
        await Expect(sidebar).ToBeVisibleAsync();
        // Widened past 1180 px, the details column is there again (its wide default).
        await page.SetViewportSizeAsync(1300, 800);
        await Expect(details).ToBeVisibleAsync();
        await Expect(sidebar).ToBeVisibleAsync();
    }
}
