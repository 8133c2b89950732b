using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Campaigns and the post-chat form (issue 27) in a real browser: a campaign's bubble on a customer's site
/// after its seconds on a matching page, once per visitor, and a reply that starts a conversation holding its message
/// (seen through the API and the console); the post-chat form after the CSAT rating, its answers in the console.</summary>
public sealed class CampaignBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static async Task CreateCampaignAsync(HttpClient admin, string title, string message, string url, long? senderId = null) =>
        (await admin.PostJson("/api/v1/accounts/1/campaigns", new
        {
            title, message, inbox_id = 1, sender_id = senderId, trigger_rules = new { url, time_on_page = 3 },
        })).EnsureSuccessStatusCode();

    [Fact]
    public async Task A_campaign_shows_once_on_a_matching_page_after_its_seconds_and_a_reply_starts_a_conversation_with_it()
    {
        await using var server = await ChatServer.StartAsync();
        await using var site = await HostSite.StartAsync();
        var data = new Dictionary<string, string> { ["inbox"] = server.InboxIdentifier, ["name"] = "Carla Campaign", ["email"] = "carla@example.com" };
        var pricing = site.AddWidgetPage("pricing", server.BaseUrl, data);
        var about = site.AddWidgetPage("about", server.BaseUrl, data);
        using var admin = server.AgentHttp(server.AgentToken);
        // Newest first: on the pricing page "Pricing" shows first, "Fallback" only once "Pricing" was seen.
        await CreateCampaignAsync(admin, "Fallback", "Still deciding? We can help.", pricing);
        await CreateCampaignAsync(admin, "About", "Curious about us? Ask away.", about);
        await CreateCampaignAsync(admin, "Pricing", "Questions about pricing? Chat with us.", new Uri(site.BaseUrl, "pric*").ToString(), senderId: 1);

        var page = await NewPageAsync("visitor", 1100, 760);
        var widget = new WidgetPage(page);
        var bubble = page.Locator("chathub-widget .campaign");
        // Not on a page the pricing campaign does not match: that page's own campaign shows instead (the barrier that
        // proves the campaigns were read and the timers ran).
        await page.GotoAsync(about);
        await Expect(bubble).ToContainTextAsync("Curious about us? Ask away.");
        await Expect(bubble).Not.ToContainTextAsync("pricing");
        await page.Locator("chathub-widget .campaign-close").ClickAsync();
        await Expect(bubble).ToBeHiddenAsync();

        await page.GotoAsync(pricing);
        await Expect(bubble).ToBeHiddenAsync(); // not before its 3 seconds
        await Expect(bubble).ToContainTextAsync("Questions about pricing? Chat with us.");
        await ScreenshotAsync(page, "campaign-bubble");

        // Once per visitor: after a reload the pricing campaign does not come again, the older one does.
        await page.ReloadAsync();
        await Expect(bubble).ToContainTextAsync("Still deciding? We can help.");
        await Expect(bubble).Not.ToContainTextAsync("Questions about pricing?");

        await page.Locator("chathub-widget .campaign-body").ClickAsync();
        await Expect(widget.Panel).ToBeVisibleAsync();
        await Expect(page.Locator("chathub-widget .campaign-message .bubble")).ToHaveTextAsync("Still deciding? We can help.");
        await widget.SendAndWaitAsync("Which plan fits a team of five?");
        await Expect(widget.AgentMessages).ToHaveTextAsync(["Still deciding? We can help."]);

        var list = await admin.GetRead<JsonElement>("/api/v1/conversations?status=all");
        var conversationId = list.GetProperty("data")[0].GetProperty("id").GetInt64();
        var messages = await admin.GetRead<List<Contracts.MessageDto>>($"/api/v1/conversations/{conversationId}/messages");
        Assert.Equal(["Still deciding? We can help.", "Which plan fits a team of five?"], messages.Select(m => m.Content));
        Assert.Equal([Contracts.MessageTypes.Outgoing, Contracts.MessageTypes.Incoming], messages.Select(m => m.MessageType));

        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Carla Campaign");
        await Expect(console.OutgoingRow("Still deciding? We can help.")).ToBeVisibleAsync();
        await Expect(console.IncomingMessages).ToHaveTextAsync(["Which plan fits a team of five?"]);
    }

    [Fact]
    public async Task The_post_chat_form_follows_the_rating_and_its_answers_appear_in_the_console()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AgentHttp(server.AgentToken);
        var set = await admin.PutAsync("/api/v1/accounts/1/inboxes/1/post_chat_form", JsonContent.Create(new
        {
            questions = new object[]
            {
                new { id = "found", label = "Did you find what you needed?", type = "choice", options = new[] { "Yes", "No" }, required = true },
                new { id = "more", label = "Anything else?", type = "text", required = false },
            },
        }));
        set.EnsureSuccessStatusCode();

        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1100, 820), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Pia Post");
        await widget.SendAndWaitAsync("Where is my parcel?");
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Pia Post");
        var list = await admin.GetRead<JsonElement>("/api/v1/conversations?status=all");
        var conversationId = list.GetProperty("data")[0].GetProperty("id").GetInt64();
        (await admin.PostJson($"/api/v1/conversations/{conversationId}/messages", new { content = "How did we do?", content_type = "input_csat", content_attributes = new { } }))
            .EnsureSuccessStatusCode();

        var form = widget.Page.Locator("chathub-widget .post-chat");
        await Expect(form).ToHaveCountAsync(0); // not before the rating
        var csat = widget.Page.Locator("chathub-widget .interactive[data-content-type=input_csat]");
        await csat.Locator("button.rating[data-rating='5']").ClickAsync();
        await csat.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Submit rating" }).ClickAsync();
        await Expect(form).ToBeVisibleAsync();
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(form.Locator(".error")).ToHaveTextAsync("Please answer: Did you find what you needed?");
        await form.Locator("input[type=radio][value=Yes]").CheckAsync();
        await form.Locator("textarea").FillAsync("Quick and friendly.");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(widget.Page.Locator("chathub-widget .post-chat-done")).ToHaveTextAsync("Thank you for your answers.");
        await ScreenshotAsync(widget.Page, "post-chat-widget");

        var answers = console.Page.Locator(".details-post-chat");
        await Expect(answers.Locator("dt")).ToHaveTextAsync(["Did you find what you needed?", "Anything else?"]);
        await Expect(answers.Locator("dd")).ToHaveTextAsync(["Yes", "Quick and friendly."]);
        await ScreenshotAsync(console.Page, "post-chat-console");
        var stored = await admin.GetRead<JsonElement>($"/api/v1/accounts/1/conversations/{conversationId}/post_chat_answers");
        Assert.Equal(["Yes", "Quick and friendly."], stored.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("answer").GetString()));

        // After a reload the widget does not ask again.
        await widget.Page.ReloadAsync();
        await widget.OpenAsync();
        await Expect(widget.Page.Locator("chathub-widget .post-chat-done")).ToBeVisibleAsync();
        await Expect(form).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_administrator_creates_edits_disables_and_deletes_a_campaign_and_sets_a_post_chat_form_in_settings()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AgentHttp(server.AgentToken);
        var page = await NewPageAsync("agent", 1360, 1000);
        await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Campaigns", Exact = true }).ClickAsync();

        var form = page.GetByRole(AriaRole.Form, new() { Name = "New campaign" });
        await form.GetByLabel("Title").FillAsync("Spring sale");
        await form.GetByLabel("Message").FillAsync("20% off all beans this week!");
        await form.GetByLabel("Page URL").FillAsync("https://shop.example/beans*");
        await form.GetByLabel("Seconds on the page").FillAsync("5");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        var card = page.Locator(".admin-campaign", new() { HasText = "Spring sale" });
        await Expect(card).ToBeVisibleAsync();
        var created = (await admin.GetRead<JsonElement>("/api/v1/accounts/1/campaigns"))[0];
        Assert.Equal(("20% off all beans this week!", "https://shop.example/beans*", 5, true), (created.GetProperty("message").GetString(),
            created.GetProperty("trigger_rules").GetProperty("url").GetString(), created.GetProperty("trigger_rules").GetProperty("time_on_page").GetInt32(),
            created.GetProperty("enabled").GetBoolean()));
        await form.GetByLabel("Page URL").FillAsync("not a url");
        await form.GetByLabel("Title").FillAsync("Broken");
        await form.GetByLabel("Message").FillAsync("x");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        await Expect(form.Locator(".admin-error")).ToContainTextAsync("trigger_rules.url");

        await card.GetByLabel("Message of Spring sale").FillAsync("25% off all beans this week!");
        await card.GetByLabel("Spring sale enabled").UncheckAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator(".admin-campaign", new() { HasText = "Spring sale" }).GetByLabel("Spring sale enabled")).Not.ToBeCheckedAsync();
        var edited = (await admin.GetRead<JsonElement>("/api/v1/accounts/1/campaigns"))[0];
        Assert.Equal(("25% off all beans this week!", false), (edited.GetProperty("message").GetString(), edited.GetProperty("enabled").GetBoolean()));

        // The inbox's post-chat form: one choice question, required.
        var postChat = page.Locator(".admin-postchat").First;
        await postChat.GetByRole(AriaRole.Button, new() { Name = "Add question" }).ClickAsync();
        await postChat.GetByLabel("Question").FillAsync("Was this helpful?");
        await postChat.GetByLabel("Answer type").SelectOptionAsync("choice");
        await postChat.GetByLabel("Options (comma separated)").FillAsync("Yes, No");
        await postChat.GetByLabel("Required").CheckAsync();
        await postChat.GetByRole(AriaRole.Button, new() { Name = "Save post-chat form" }).ClickAsync();
        await Expect(postChat.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved");
        var questions = (await admin.GetRead<JsonElement>("/api/v1/accounts/1/inboxes/1/post_chat_form")).GetProperty("questions");
        var question = Assert.Single(questions.EnumerateArray());
        Assert.Equal(("Was this helpful?", "choice", true), (question.GetProperty("label").GetString(), question.GetProperty("type").GetString(),
            question.GetProperty("required").GetBoolean()));
        Assert.Equal(["Yes", "No"], question.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        await ScreenshotAsync(page, "settings-campaigns");
        await AssertNoSeriousAxeViolationsAsync(page.Locator("section.admin-tab[aria-label='Campaigns']"), "Settings > Campaigns");

        await page.Locator(".admin-campaign", new() { HasText = "Spring sale" }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator(".admin-campaign")).ToHaveCountAsync(0);
        Assert.Empty((await admin.GetRead<JsonElement>("/api/v1/accounts/1/campaigns")).EnumerateArray());
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
