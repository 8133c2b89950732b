using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using ChatHub.Server.Tests.Webhooks;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Labels in the console (issue 25), in Chromium with one browser context per agent: an administrator creates
/// a label in Settings > Labels, adds it to a conversation from the thread's picker, sees it as a coloured chip on the
/// list item, filters the list by it (a conversation without it leaves), removes it by its x; a webhook receiver gets
/// conversation_updated with changed_attributes naming label_list, and a colleague's console shows each change live.</summary>
public sealed class LabelsBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Red = "rgb(217, 48, 37)"; // #d93025, as the browser computes it

    private static ILocator Chip(ILocator within, string title) => within.Locator($".label-chip[data-label='{title}']");

    [Fact]
    public async Task An_administrator_creates_a_label_adds_it_sees_it_on_the_list_filters_by_it_and_a_colleague_and_a_webhook_hear_it()
    {
        await using var server = await ChatServer.StartAsync(settings: WebhookTestApi.FastRetries());
        using var adminHttp = server.AdminHttp();
        await using var receiver = await WebhookReceiver.StartAsync();
        await adminHttp.CreateWebhookAsync(receiver.Url, "conversation_updated");
        var bob = await server.CreateAgent("Bob Colleague");
        var lana = await server.StartConversation(await server.CreateContact("Lana Labelled"), "Please check my invoice");
        await server.StartConversation(await server.CreateContact("Otto Other"), "Just saying hello");

        // The colleague signs in first: the label is new to its console when it arrives on a conversation.
        var bobConsole = await ConsolePage.SignInAsync(await NewPageAsync("bob"), server.BaseUrl, bob.AccessToken!);
        await Expect(bobConsole.Conversations).ToHaveCountAsync(2);

        var page = await NewPageAsync("admin", 1360, 900);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var admin = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Labels", Exact = true }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New label" });
        await form.GetByLabel("Title").FillAsync("VIP");
        await form.GetByLabel("Colour").FillAsync("#d93025");
        await form.GetByLabel("Description").FillAsync("Customers who pay for priority");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create label" }).ClickAsync();
        var card = page.Locator(".admin-label", new() { HasText = "vip" }); // titles are kept in lower case
        await Expect(card).ToContainTextAsync("Customers who pay for priority");
        await Expect(Chip(card, "vip")).ToHaveCSSAsync("background-color", Red);
        // A title that is not one word is refused with the server's reason.
        await form.GetByLabel("Title").FillAsync("two words");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create label" }).ClickAsync();
        await Expect(form.Locator(".admin-error")).ToContainTextAsync("letters, digits");
        await ScreenshotAsync(page, "labels-settings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Back to conversations" }).ClickAsync();

        // Added from the thread's picker: a chip under the header and on the list item, in the label's colour.
        await admin.OpenAsync("Lana Labelled");
        await page.Locator("select[aria-label='Add label']").SelectOptionAsync(new SelectOptionValue { Value = "vip" });
        await Expect(Chip(page.Locator(".labels-bar"), "vip")).ToBeVisibleAsync();
        await Expect(Chip(admin.Conversation("Lana Labelled"), "vip")).ToHaveCSSAsync("background-color", Red);
        await Expect(Chip(admin.Conversation("Otto Other"), "vip")).ToHaveCountAsync(0);

        // The colleague's console shows it live, in its colour (it reads the labels again for a title it did not know).
        await Expect(Chip(bobConsole.Conversation("Lana Labelled"), "vip")).ToHaveCSSAsync("background-color", Red);

        // The webhook receiver hears conversation_updated with the labels' change.
        var updated = (await receiver.WaitForAsync(d => d.Event == "conversation_updated" && d.Json.GetProperty("id").GetInt64() == lana.Id
            && d.Json.GetProperty("changed_attributes").EnumerateArray().Any(a => a.TryGetProperty("label_list", out _)), "the label's conversation_updated")).Json;
        var change = updated.GetProperty("changed_attributes").EnumerateArray().Single(a => a.TryGetProperty("label_list", out _)).GetProperty("label_list");
        Assert.Empty(change.GetProperty("previous_value").EnumerateArray());
        Assert.Equal(["vip"], change.GetProperty("current_value").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["vip"], updated.GetProperty("labels").EnumerateArray().Select(t => t.GetString()));

        // The list filtered by the label: the conversation without it leaves.
        await page.Locator("select[aria-label='Label']").SelectOptionAsync(new SelectOptionValue { Value = "vip" });
        await Expect(admin.Conversations).ToHaveCountAsync(1);
        await Expect(admin.Conversation("Lana Labelled")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "labels-filtered-list");

        // Removed by its x: it leaves the filtered list, and the colleague's chip goes too.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove label vip" }).ClickAsync();
        await Expect(Chip(page.Locator(".labels-bar"), "vip")).ToHaveCountAsync(0);
        await Expect(admin.Conversations).ToHaveCountAsync(0);
        await Expect(Chip(bobConsole.Conversation("Lana Labelled"), "vip")).ToHaveCountAsync(0);
        using var labels = JsonDocument.Parse(await adminHttp.GetStringAsync($"/api/v1/accounts/1/conversations/{lana.Id}/labels"));
        Assert.Empty(labels.RootElement.GetProperty("payload").EnumerateArray());
        await page.Locator("select[aria-label='Label']").SelectOptionAsync(new SelectOptionValue { Value = "" });
        await Expect(admin.Conversations).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task An_administrator_edits_and_deletes_a_label_in_settings()
    {
        await using var server = await ChatServer.StartAsync();
        using var adminHttp = server.AdminHttp();
        (await adminHttp.PostJson("/api/v1/accounts/1/labels", new { title = "billing", color = "#00aa00" })).EnsureSuccessStatusCode();
        var page = await NewPageAsync("admin", 1360, 900);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Labels", Exact = true }).ClickAsync();

        var card = page.Locator(".admin-label", new() { HasText = "billing" });
        await card.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Form, new() { Name = "Edit billing" });
        await edit.GetByLabel("Title of billing").FillAsync("invoices");
        await edit.GetByLabel("Colour of billing").FillAsync("#0000ff");
        await edit.GetByLabel("Description of billing").FillAsync("Invoices and refunds");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var renamed = page.Locator(".admin-label", new() { HasText = "invoices" });
        await Expect(renamed).ToContainTextAsync("Invoices and refunds");
        await Expect(Chip(renamed, "invoices")).ToHaveCSSAsync("background-color", "rgb(0, 0, 255)");
        using (var stored = JsonDocument.Parse(await adminHttp.GetStringAsync("/api/v1/accounts/1/labels")))
        {
            var label = stored.RootElement.GetProperty("payload").EnumerateArray().Single();
            Assert.Equal(("invoices", "#0000ff", "Invoices and refunds"),
                (label.GetProperty("title").GetString(), label.GetProperty("color").GetString(), label.GetProperty("description").GetString()));
        }

        await renamed.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.Locator(".admin-label")).ToHaveCountAsync(0);
        await Expect(page.Locator(".admin-tab[aria-label='Labels']")).ToContainTextAsync("No labels yet.");
        using var none = JsonDocument.Parse(await adminHttp.GetStringAsync("/api/v1/accounts/1/labels"));
        Assert.Empty(none.RootElement.GetProperty("payload").EnumerateArray());
    }

    [Fact]
    public async Task On_a_phone_many_and_long_labels_wrap_with_no_horizontal_scroll()
    {
        await using var server = await ChatServer.StartAsync();
        using var adminHttp = server.AdminHttp();
        string[] titles = ["vip", "billing", "refund", "urgent", "a-very-long-label-title-that-goes-on-and-on-and-on"];
        foreach (var title in titles)
            (await adminHttp.PostJson("/api/v1/accounts/1/labels", new { title, color = "#ffd700" })).EnsureSuccessStatusCode();
        var conversation = await server.StartConversation(await server.CreateContact("Pia Phone"), "Hello from my phone");
        (await adminHttp.PostJson($"/api/v1/accounts/1/conversations/{conversation.Id}/labels", new { labels = titles })).EnsureSuccessStatusCode();

        var page = await NewPageAsync("agent", 390, 844, phone: true);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await Expect(console.Conversation("Pia Phone").Locator(".label-chip")).ToHaveCountAsync(titles.Length);
        // Light labels get dark text.
        await Expect(Chip(console.Conversation("Pia Phone"), "vip")).ToHaveCSSAsync("color", "rgb(28, 36, 51)");
        await AssertNoHorizontalScrollAsync(page, "the list");
        await console.OpenAsync("Pia Phone");
        await Expect(page.Locator(".labels-bar .label-chip")).ToHaveCountAsync(titles.Length);
        await Expect(page.Locator("select[aria-label='Add label']")).ToBeDisabledAsync(); // every label is on it
        await AssertNoHorizontalScrollAsync(page, "the conversation");
        await ScreenshotAsync(page, "labels-phone");
    }

    private static async Task AssertNoHorizontalScrollAsync(IPage page, string where)
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{where}: the page is {widths[0]} px wide in a {widths[1]} px window");
    }
}
