using System.Text.RegularExpressions;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The widget (wwwroot/widget.js on the demo page) and the agent console (/agent/) in real Chromium,
/// against a real server: a customer and an agent in two browser contexts.</summary>
public sealed class ChatBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>The widget and the console must work within the default rate limits.</summary>
    private static readonly Dictionary<string, string?> ProductionLimits = new() { [ChatServer.RateLimitsOn.Key] = "true" };

    [Fact]
    public async Task Customer_and_agent_chat_both_ways_with_typing_and_read_receipts()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1100, 760, forDocs: true), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await Expect(widget.Prechat).ToBeVisibleAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Emma Wilson");
        await widget.Page.Locator("chathub-widget .prechat input[type=email]").FillAsync("emma@example.com");
        await widget.SendAndWaitAsync("Hi! I ordered the Ethiopia Guji on Monday. Could you tell me when it ships?");
        await Expect(widget.Prechat).ToBeHiddenAsync();

        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820, forDocs: true), server.BaseUrl, server.AgentToken);
        await Expect(console.Conversation("Emma Wilson")).ToContainTextAsync("Could you tell me when it ships?");
        await Expect(console.Conversation("Emma Wilson").Locator(".unread-badge")).ToHaveTextAsync("1");
        await console.OpenAsync("Emma Wilson");
        await Expect(console.IncomingMessages).ToHaveTextAsync(["Hi! I ordered the Ethiopia Guji on Monday. Could you tell me when it ships?"]);
        await Expect(console.Page.Locator(".details")).ToContainTextAsync("emma@example.com");

        // The agent opened it: the customer's message shows as read in the widget.
        await Expect(widget.OwnRows.Last).ToHaveAttributeAsync("data-status", "read");

        // Typing, agent -> customer.
        await console.Composer.FillAsync("Hi Emma! Thanks for reaching out, let me check your order.");
        await Expect(widget.Typing).ToBeVisibleAsync();
        await Expect(widget.Page.Locator("chathub-widget .subtitle")).ToHaveTextAsync("Admin is typing…");
        await console.Composer.PressAsync("Enter");
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Hi Emma! Thanks for reaching out, let me check your order."]);
        await Expect(widget.Typing).ToBeHiddenAsync();

        // Typing, customer -> agent (in the conversation and in the list).
        await widget.Input.FillAsync("Great, tha");
        await Expect(console.Typing).ToBeVisibleAsync();
        await Expect(console.Typing).ToContainTextAsync("Emma Wilson is typing");
        await Expect(console.Conversation("Emma Wilson").Locator(".conv-preview")).ToHaveTextAsync("typing…");
        await widget.Input.FillAsync("");
        await Expect(console.Typing).ToBeHiddenAsync();

        await console.ReplyAndWaitAsync("Good news: it was roasted yesterday and ships today. The tracking link is on its way by email.");
        await Expect(widget.AgentMessages.Last).ToHaveTextAsync("Good news: it was roasted yesterday and ships today. The tracking link is on its way by email.");
        // The customer has the panel open, so the agent's reply shows as seen in the console.
        await Expect(console.Seen).ToBeVisibleAsync();
        await Expect(console.OutgoingRow("Good news")).ToHaveAttributeAsync("data-status", "read");

        await widget.SendAndWaitAsync("Perfect, thank you so much!");
        await Expect(console.IncomingMessages.Last).ToHaveTextAsync("Perfect, thank you so much!");
        await Expect(widget.OwnRow("Perfect, thank you")).ToHaveAttributeAsync("data-status", "read");
        await Expect(widget.OwnMessages).ToHaveCountAsync(2);
        await Expect(widget.AgentMessages).ToHaveCountAsync(2);

        await PublishToDocsAsync(widget.Page, await ScreenshotAsync(widget.Page, "widget"), "widget.png");
        await PublishToDocsAsync(console.Page, await ScreenshotAsync(console.Page, "console"), "console.png");
    }

    [Fact]
    public async Task A_private_note_never_reaches_the_widget()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer"), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Noah Note");
        await widget.SendAndWaitAsync("Can I change my delivery address?");

        await widget.Launcher.ClickAsync(); // closed: what arrives now is unread
        await Expect(widget.Panel).ToBeHiddenAsync();

        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent"), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Noah Note");
        await console.NoteAsync("Internal: customer moved last week, check the CRM before answering.");
        await Expect(console.Notes).ToHaveTextAsync(["Internal: customer moved last week, check the CRM before answering."]);
        await Expect(console.Page.Locator(".msg.private .note-tag")).ToHaveTextAsync("Private note");
        await console.ReplyAndWaitAsync("Yes, of course. What is the new address?");

        // The reply after the note has arrived (the unread count says so), so the note, earlier in seq order,
        // would have too: one unread message, and the preview beside the launcher is the reply.
        await Expect(widget.Badge).ToHaveTextAsync("1");
        await Expect(widget.Page.Locator("chathub-widget .preview")).ToContainTextAsync("Yes, of course. What is the new address?");
        await ScreenshotAsync(widget.Page, "unread-widget");
        await widget.OpenAsync();
        await Expect(widget.Badge).ToBeHiddenAsync();
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Yes, of course. What is the new address?"]);
        await Expect(widget.Log).Not.ToContainTextAsync("Internal");
        await Expect(console.Seen).ToBeVisibleAsync(); // opening the panel marked it seen
        // Nor after a reload (history from the server).
        await widget.Page.ReloadAsync();
        await widget.OpenAsync();
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Yes, of course. What is the new address?"]);
        await Expect(widget.Log).Not.ToContainTextAsync("Internal");
        await ScreenshotAsync(widget.Page, "private-note-widget");
        await ScreenshotAsync(console.Page, "private-note-console");
    }

    [Fact]
    public async Task Resolving_shows_in_the_widget_and_the_customer_can_start_a_new_conversation()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer"), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Rita Resolve");
        await widget.SendAndWaitAsync("My grinder arrived, all good now.");

        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent"), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Rita Resolve");
        await console.ReplyAndWaitAsync("Glad to hear it! Enjoy your coffee.");
        await console.StatusButton.ClickAsync();
        await Expect(console.ThreadStatus).ToHaveTextAsync("resolved");
        await Expect(console.Conversation("Rita Resolve")).ToHaveCountAsync(0); // gone from "Open"

        await Expect(widget.Resolved).ToBeVisibleAsync();
        await Expect(widget.Resolved).ToContainTextAsync("This conversation has been resolved");
        await Expect(console.Page.Locator(".activity").Last).ToContainTextAsync("Conversation was resolved by Admin");
        await Expect(widget.Input).ToBeHiddenAsync();
        await ScreenshotAsync(widget.Page, "resolved-widget");

        await widget.Resolved.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Start a new conversation" }).ClickAsync();
        await Expect(widget.Resolved).ToBeHiddenAsync();
        await Expect(widget.OwnMessages).ToHaveCountAsync(0);
        await widget.SendAndWaitAsync("One more question: do you ship to Canada?");

        await Expect(console.Conversation("Rita Resolve")).ToContainTextAsync("do you ship to Canada?");
        await console.SetFilterAsync("all", "all");
        await Expect(console.Conversation("Rita Resolve")).ToHaveCountAsync(2);
        await ScreenshotAsync(console.Page, "resolved-console");
    }

    [Fact]
    public async Task A_reload_and_a_second_tab_continue_the_same_conversation()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var page = await NewPageAsync("customer");
        var widget = await WidgetPage.OpenDemoAsync(page, server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Theo Tabs");
        await widget.SendAndWaitAsync("First message");
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent"), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Theo Tabs");
        await console.ReplyAndWaitAsync("Agent answer");
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Agent answer"]);

        await page.ReloadAsync();
        await widget.OpenAsync();
        await Expect(widget.OwnMessages).ToHaveTextAsync(["First message"]);
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Agent answer"]);
        await Expect(widget.Prechat).ToBeHiddenAsync();

        // A second tab of the same browser: same visitor, same conversation, live both ways.
        var tab = new WidgetPage(await NewTabAsync("customer tab 2", page));
        await tab.Page.GotoAsync(page.Url);
        await tab.OpenAsync();
        await Expect(tab.OwnMessages).ToHaveTextAsync(["First message"]);
        await tab.SendAndWaitAsync("Sent from the second tab");
        await Expect(widget.OwnMessages).ToHaveTextAsync(["First message", "Sent from the second tab"]);
        await Expect(console.IncomingMessages).ToHaveTextAsync(["First message", "Sent from the second tab"]);
        await console.ReplyAndWaitAsync("Both tabs see this");
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Agent answer", "Both tabs see this"]);
        await Expect(tab.AgentMessages).ToHaveTextAsync(["Agent answer", "Both tabs see this"]);
        await Expect(console.Conversations).ToHaveCountAsync(1);
        await ScreenshotAsync(tab.Page, "second-tab-widget");
    }

    [Fact]
    public async Task Offline_customer_gets_every_agent_message_once_and_in_order()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var page = await NewPageAsync("customer");
        var widget = await WidgetPage.OpenDemoAsync(page, server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Olive Offline");
        await widget.SendAndWaitAsync("Are you there?");
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent"), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Olive Offline");
        await console.ReplyAndWaitAsync("Yes! One moment.");
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Yes! One moment."]);

        await page.Context.SetOfflineAsync(true);
        await Expect(widget.Banner).ToBeVisibleAsync();
        await Expect(widget.Banner).ToContainTextAsync("offline");
        string[] whileOffline = ["Reply 1 while you were away", "Reply 2 while you were away", "Reply 3 while you were away",
            "Reply 4 while you were away", "Reply 5 while you were away"];
        foreach (var text in whileOffline) await console.ReplyAndWaitAsync(text);
        await console.NoteAsync("A note in between");
        await page.Context.SetOfflineAsync(false);

        await Expect(widget.Banner).ToBeHiddenAsync();
        // A message sent after coming back is delivered after every earlier one (seq order): once it is shown,
        // anything else would have shown too.
        await console.ReplyAndWaitAsync("Back online?");
        string[] expected = ["Yes! One moment.", .. whileOffline, "Back online?"];
        await Expect(widget.AgentMessages.Last).ToHaveTextAsync("Back online?");
        Assert.Equal(expected, await widget.AgentMessages.AllInnerTextsAsync());
        await Expect(widget.Log).Not.ToContainTextAsync("A note in between");
        await ScreenshotAsync(page, "offline-widget");
    }

    [Fact]
    public async Task The_widget_reconnects_and_resyncs_after_the_server_restarts()
    {
        var server = await ChatServer.StartAsync(settings: ProductionLimits);
        try
        {
            var page = await NewPageAsync("customer");
            var widget = await WidgetPage.OpenDemoAsync(page, server.BaseUrl, server.InboxIdentifier);
            await widget.OpenAsync();
            await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Rex Restart");
            await widget.SendAndWaitAsync("Hello before the restart");
            var console = await ConsolePage.SignInAsync(await NewPageAsync("agent"), server.BaseUrl, server.AgentToken);
            await console.OpenAsync("Rex Restart");
            using var agentHttp = server.AgentHttp(server.AgentToken);
            var conversationId = (await agentHttp.GetRead<ConversationPageDto>("/api/v1/conversations")).Data.Single().Id;

            // Stop the server: the widget loses its connection and says so.
            var (baseUrl, dbPath) = (server.BaseUrl, server.DbPath);
            await server.DisposeAsync();
            await Expect(widget.Banner).ToBeVisibleAsync();
            await Expect(widget.Banner).ToHaveTextAsync("Reconnecting…");
            await Expect(console.Banner).ToHaveTextAsync("Reconnecting…");

            // Same port, same database; the agent answers at once, possibly before the widget is back.
            server = await ChatServer.StartAsync(dbPath, new Dictionary<string, string?> { ["Urls"] = baseUrl.GetLeftPart(UriPartial.Authority), [ChatServer.RateLimitsOn.Key] = "true" },
                server.AgentToken, server.InboxIdentifier, server.HmacToken);
            using var agentHttp2 = server.AgentHttp(server.AgentToken);
            string[] replies = ["Sorry, we restarted", "Everything is back", "Anything else?"];
            foreach (var reply in replies)
                (await agentHttp2.PostJson($"/api/v1/conversations/{conversationId}/messages", new { content = reply })).EnsureSuccessStatusCode();

            await Expect(widget.Banner).ToBeHiddenAsync();
            await Expect(widget.AgentMessages).ToHaveTextAsync(replies);
            await Expect(console.Banner).ToBeHiddenAsync();
            await Expect(console.Page.Locator(".msg.out .bubble")).ToHaveTextAsync(replies);
            await widget.SendAndWaitAsync("Works again");
            await Expect(console.IncomingMessages).ToHaveTextAsync(["Hello before the restart", "Works again"]);
            await Expect(console.Conversation("Rex Restart").Locator(".unread-badge")).ToHaveCountAsync(0); // open: seen
            var messages = await agentHttp2.GetRead<List<MessageDto>>($"/api/v1/conversations/{conversationId}/messages");
            Assert.Equal(["Hello before the restart", .. replies, "Works again"], messages.Select(m => m.Content));
            await ScreenshotAsync(page, "restart-widget");
            await ScreenshotAsync(console.Page, "restart-console");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Older_messages_load_when_scrolling_up()
    {
        // Rate limits off: the history is written in a burst over REST, faster than any customer types.
        await using var server = await ChatServer.StartAsync();
        const string identifier = "customer-older-42";
        var hash = IdentifierHash(server.HmacToken, identifier);
        var contact = await server.CreateContact("Lena Long", new { identifier, identifier_hash = hash, name = "Lena Long" });
        var conversation = await server.StartConversation(contact, "Message 1");
        using var agentHttp = server.AgentHttp(server.AgentToken);
        for (var i = 2; i <= 45; i++)
        {
            var path = i % 3 == 0
                ? $"/api/v1/conversations/{conversation.Id}/messages"
                : $"{server.ClientApi}/contacts/{contact.SourceId}/conversations/{conversation.Id}/messages";
            (await (i % 3 == 0 ? agentHttp : server.Http).PostJson(path, new { content = $"Message {i}" })).EnsureSuccessStatusCode();
        }

        // The signed-in customer on their own site: the widget finds the contact by its signed identifier.
        await using var site = await HostSite.StartAsync();
        var page = await NewPageAsync("customer", 1100, 700);
        await page.GotoAsync(site.AddWidgetPage("account.html", server.BaseUrl, new Dictionary<string, string>
        {
            ["inbox"] = server.InboxIdentifier, ["identifier"] = identifier, ["identifier-hash"] = hash, ["name"] = "Lena Long",
        }));
        var widget = new WidgetPage(page);
        await widget.OpenAsync();
        var all = widget.Page.Locator("chathub-widget .row:not(.greeting) .bubble");
        await Expect(all.Last).ToHaveTextAsync("Message 45");
        Assert.True(await all.CountAsync() < 45, "the first page holds only the newest messages");

        // Scrolling to the top loads older pages until the first message.
        var body = widget.Page.Locator("chathub-widget .body");
        for (var shown = await all.CountAsync(); shown < 45; shown = await all.CountAsync())
        {
            await body.EvaluateAsync("b => { b.scrollTop = 0; b.dispatchEvent(new Event('scroll')); }");
            await Expect(all).Not.ToHaveCountAsync(shown); // the next older page arrived
        }
        await Expect(all).ToHaveCountAsync(45);
        Assert.Equal(Enumerable.Range(1, 45).Select(i => $"Message {i}"), await all.AllInnerTextsAsync());
        await Expect(widget.Page.Locator("chathub-widget .older")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "older-messages-widget");
    }

    [Fact]
    public async Task Signed_identity_works_on_an_HMAC_inbox_from_another_origin()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Bootstrap:HmacMandatory"] = "true", [ChatServer.RateLimitsOn.Key] = "true" });
        const string identifier = "user-1906";
        await using var site = await HostSite.StartAsync();
        var page = await NewPageAsync("customer");
        await page.GotoAsync(site.AddWidgetPage("shop.html", server.BaseUrl, new Dictionary<string, string>
        {
            ["inbox"] = server.InboxIdentifier, ["identifier"] = identifier, ["identifier-hash"] = IdentifierHash(server.HmacToken, identifier),
            ["name"] = "Grace Hopper", ["email"] = "grace@example.com",
        }));
        Assert.NotEqual(new Uri(page.Url).Authority, server.BaseUrl.Authority); // cross-origin: CORS and the hub
        var widget = new WidgetPage(page);
        await widget.OpenAsync();
        await Expect(widget.Prechat).ToBeHiddenAsync(); // the site told us who this is
        await widget.SendAndWaitAsync("Hello from my account page");

        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent"), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Grace Hopper");
        await Expect(console.IncomingMessages).ToHaveTextAsync(["Hello from my account page"]);
        await console.ReplyAndWaitAsync("Hi Grace, you are verified.");
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Hi Grace, you are verified."]);
        await ScreenshotAsync(page, "signed-identity-widget");

        // Without a valid hash this inbox refuses the visitor, and the widget says so.
        var stranger = await NewPageAsync("stranger");
        await stranger.GotoAsync(site.AddWidgetPage("forged.html", server.BaseUrl, new Dictionary<string, string>
        {
            ["inbox"] = server.InboxIdentifier, ["identifier"] = identifier, ["identifier-hash"] = new string('0', 64),
        }));
        var forged = new WidgetPage(stranger);
        await forged.OpenAsync();
        await Expect(forged.Error).ToContainTextAsync("could not verify");
        await Expect(console.Conversations).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Console_filters_assigns_sets_presence_and_updates_the_list_live()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var agentPage = await NewPageAsync("agent", 1360, 820);
        await agentPage.GotoAsync(new Uri(server.BaseUrl, "/agent/").ToString());
        await ConsolePage.ShowTokenFieldAsync(agentPage);
        await agentPage.Locator("#token").FillAsync("not-a-valid-token");
        await agentPage.Locator("#signin-button").ClickAsync();
        await Expect(agentPage.Locator("#signin-error")).ToHaveTextAsync("That access token was not accepted.");
        var console = await ConsolePage.SignInAsync(agentPage, server.BaseUrl, server.AgentToken);
        await Expect(console.Presence).ToBeEnabledAsync(); // once connected and signing in's own choice is made
        await Expect(console.Presence).ToHaveValueAsync("online"); // signing in makes an offline agent available
        await console.Presence.SelectOptionAsync("busy");
        await Expect(agentPage.Locator("#presence-dot")).ToHaveClassAsync(new Regex("busy"));
        using var agentHttp = server.AgentHttp(server.AgentToken);
        await AssertEventually(async () => (await agentHttp.GetRead<AgentDto>("/api/v1/profile")).Availability == "busy");
        await agentPage.ReloadAsync(); // the token is kept in sessionStorage
        await Expect(agentPage.Locator(".sidebar-head")).ToBeVisibleAsync();
        await Expect(console.Presence).ToHaveValueAsync("busy");

        // Two customers write while the console is open: the list fills live, with unread counts.
        var first = await WidgetPage.OpenDemoAsync(await NewPageAsync("first customer"), server.BaseUrl, server.InboxIdentifier);
        await first.OpenAsync();
        await first.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Amy Assigned");
        await first.SendAndWaitAsync("Question one");
        await first.SendAndWaitAsync("Question two");
        var second = await WidgetPage.OpenDemoAsync(await NewPageAsync("second customer"), server.BaseUrl, server.InboxIdentifier);
        await second.OpenAsync();
        await second.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Uma Unassigned");
        await second.SendAndWaitAsync("Hello?");
        await Expect(console.Conversations).ToHaveCountAsync(2);
        await Expect(console.Conversation("Amy Assigned").Locator(".unread-badge")).ToHaveTextAsync("2");
        await Expect(console.Conversations.First).ToContainTextAsync("Uma Unassigned"); // newest activity first

        await console.OpenAsync("Amy Assigned");
        await Expect(console.Conversation("Amy Assigned").Locator(".unread-badge")).ToHaveCountAsync(0);
        await console.AssignButton.ClickAsync();
        await Expect(console.Page.Locator(".thread-sub")).ToContainTextAsync("Assigned to You");
        await Expect(console.Page.Locator(".activity").Last).ToContainTextAsync("Assigned to Admin by Admin");

        await console.SetFilterAsync("open", "me");
        await Expect(console.Conversations).ToHaveCountAsync(1);
        await Expect(console.Conversations.First).ToContainTextAsync("Amy Assigned");
        await console.SetFilterAsync("open", "unassigned");
        await Expect(console.Conversations).ToHaveCountAsync(1);
        await Expect(console.Conversations.First).ToContainTextAsync("Uma Unassigned");

        // Resolve and reopen from the console.
        await console.SetFilterAsync("all", "all");
        await console.OpenAsync("Amy Assigned");
        await console.StatusButton.ClickAsync();
        await Expect(console.ThreadStatus).ToHaveTextAsync("resolved");
        await console.SetFilterAsync("resolved", "all");
        await Expect(console.Conversations).ToHaveCountAsync(1);
        await console.StatusButton.ClickAsync();
        await Expect(console.ThreadStatus).ToHaveTextAsync("open");
        await Expect(console.Conversations).ToHaveCountAsync(0);
        await Expect(first.Input).ToBeVisibleAsync(); // reopened: the customer can write again
        // Activity lines are for agents: the customer's widget never shows them (as in Chatwoot). The reopening reached the
        // widget after the assignment's and the resolution's lines would have: behind that barrier, none is shown.
        await Expect(first.Activities).ToHaveCountAsync(0);
        await Expect(console.Page.Locator(".activity").Last).ToContainTextAsync("Conversation was reopened by Admin");

        // A new message to a conversation that is not open in the console raises its unread count live.
        await console.SetFilterAsync("open", "all");
        await second.SendAndWaitAsync("Still there?");
        await Expect(console.Conversation("Uma Unassigned").Locator(".unread-badge")).ToHaveTextAsync("2");
        await ScreenshotAsync(agentPage, "console-filters");
    }

    [Fact]
    public async Task The_widget_works_on_a_phone_and_from_the_keyboard()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var page = await NewPageAsync("phone", 360, 740, phone: true);
        // The demo page as the README says to open it: "/" with no ?inbox= (it asks /demo/config).
        await page.GotoAsync(server.BaseUrl.ToString());
        var widget = new WidgetPage(page);
        var launcher = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Open chat" });
        await Expect(launcher).ToHaveAttributeAsync("aria-expanded", "false");

        await launcher.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = "Website" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(widget.Input).ToBeFocusedAsync();
        var box = await widget.Panel.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.Width <= 360 && box.Y >= 0 && box.Height <= 740, $"the panel fits the screen: {box.X},{box.Y} {box.Width}x{box.Height}");
        await Expect(page.GetByRole(AriaRole.Log, new PageGetByRoleOptions { Name = "Messages" })).ToBeVisibleAsync();

        await page.Keyboard.TypeAsync("Typed on a phone keyboard");
        await page.Keyboard.PressAsync("Enter");
        await Expect(widget.OwnRow("Typed on a phone keyboard")).ToHaveAttributeAsync("data-status", "sent");
        await Expect(widget.Input).ToHaveValueAsync("");
        await Expect(widget.Input).ToBeFocusedAsync();
        await ScreenshotAsync(page, "phone-widget");

        await page.Keyboard.PressAsync("Escape");
        await Expect(widget.Panel).ToBeHiddenAsync();
        await Expect(widget.Launcher).ToBeFocusedAsync();
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-expanded", "false");
    }

    private static async Task AssertEventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + BrowserFixture.Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(100);
        }
    }

    private sealed record ConversationPageDto(List<ConversationDto> Data);
}
