using System.Net;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The console's Settings view, as an administrator uses it against a real server: an inbox with its
/// snippet and members, an agent whose token is shown once and then reset, a webhook with its deliveries.</summary>
public sealed partial class AdminConsoleTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task An_administrator_sets_up_an_inbox_an_agent_and_a_webhook_from_the_console()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "true" });
        var page = await NewPageAsync("admin", 1360, 900);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = server.BaseUrl.GetLeftPart(UriPartial.Authority) });
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // the reset and delete confirmations
        await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await page.Locator("#settings-button").ClickAsync();
        await Expect(page.Locator("#settings")).ToBeVisibleAsync();

        // Inboxes: create one; its snippet names it and copies; it serves the client API.
        await Tab(page, "Inboxes").ClickAsync();
        var inboxForm = page.Locator("form[aria-label='New inbox']");
        await inboxForm.Locator("input[name=name]").FillAsync("Sales EU");
        await inboxForm.Locator("input[name=greeting_message]").FillAsync("Hello from sales");
        await inboxForm.Locator("button[type=submit]").ClickAsync();
        var inboxCard = page.Locator(".admin-inbox", new() { Has = page.Locator(".admin-card-title", new() { HasText = "Sales EU" }) });
        await Expect(inboxCard).ToBeVisibleAsync();
        var snippetBox = inboxCard.Locator(".admin-copy-text");
        var snippet = await snippetBox.InputValueAsync();
        var origin = server.BaseUrl.GetLeftPart(UriPartial.Authority);
        var match = Snippet().Match(snippet);
        Assert.True(match.Success, snippet);
        Assert.Equal(origin, match.Groups["origin"].Value);
        var identifier = match.Groups["inbox"].Value;
        await inboxCard.Locator(".admin-copy .btn").ClickAsync();
        await Expect(inboxCard.Locator(".admin-copy-state")).ToHaveTextAsync("Copied");
        Assert.Equal(snippet, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/public/api/v1/inboxes/{identifier}")).StatusCode);

        // Edit the inbox: a new greeting and the CSAT survey on; the widget's view of the inbox follows.
        await inboxCard.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var settings = page.Locator("form[aria-label='Settings of Sales EU']");
        await settings.Locator("input[name=greeting_message]").FillAsync("Hej from sales");
        await settings.Locator("input[name=csat_survey_enabled]").CheckAsync();
        // Open on Mondays 08:30-12:00 only, Berlin time.
        await settings.Locator("input[name=working_hours_enabled]").CheckAsync();
        await settings.Locator("input[name=timezone]").FillAsync("Europe/Berlin");
        await settings.Locator("input[name=open_1]").CheckAsync();
        await settings.Locator("input[name=from_1]").FillAsync("08:30");
        await settings.Locator("input[name=to_1]").FillAsync("12:00");
        await settings.Locator("textarea[name=out_of_office_message]").FillAsync("Back on Monday at 8:30.");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(inboxCard.Locator(".pill", new() { HasText = "CSAT survey" })).ToBeVisibleAsync();
        using (var view = System.Text.Json.JsonDocument.Parse(await server.Http.GetStringAsync($"/public/api/v1/inboxes/{identifier}")))
        {
            Assert.Equal("Hej from sales", view.RootElement.GetProperty("greeting_message").GetString());
            Assert.True(view.RootElement.GetProperty("csat_survey_enabled").GetBoolean());
            Assert.True(view.RootElement.GetProperty("working_hours_enabled").GetBoolean());
            Assert.Equal("Europe/Berlin", view.RootElement.GetProperty("timezone").GetString());
            Assert.Equal("Back on Monday at 8:30.", view.RootElement.GetProperty("out_of_office_message").GetString());
            var days = view.RootElement.GetProperty("working_hours").EnumerateArray().ToList();
            Assert.Equal(7, days.Count);
            var monday = days.Single(d => d.GetProperty("day_of_week").GetInt32() == 1);
            Assert.Equal((8, 30, 12, 0), (monday.GetProperty("open_hour").GetInt32(), monday.GetProperty("open_minutes").GetInt32(),
                monday.GetProperty("close_hour").GetInt32(), monday.GetProperty("close_minutes").GetInt32()));
            Assert.True(days.Single(d => d.GetProperty("day_of_week").GetInt32() == 2).GetProperty("closed_all_day").GetBoolean());
        }

        // Agents: create one with the role agent; its token is shown once and signs in to a console without Settings.
        await Tab(page, "Agents").ClickAsync();
        var agentForm = page.Locator("form[aria-label='New agent']");
        await agentForm.Locator("input[name=name]").FillAsync("Tess Agent");
        await agentForm.Locator("input[name=email]").FillAsync("tess@example.com");
        await agentForm.Locator("select[name=role]").SelectOptionAsync("agent");
        await agentForm.Locator("button[type=submit]").ClickAsync();
        var agentsTab = page.Locator("section[aria-label=Agents]");
        var once = agentsTab.Locator(".admin-once");
        await Expect(once).ToContainTextAsync("will not be shown again");
        var firstToken = await once.Locator(".admin-copy-text").InputValueAsync();
        Assert.True(firstToken.Length >= 22, firstToken);
        var tessCard = agentsTab.Locator(".admin-agent", new() { HasText = "tess@example.com" });
        await Expect(tessCard).ToContainTextAsync("agent");

        var tessPage = await NewPageAsync("tess");
        await ConsolePage.SignInAsync(tessPage, server.BaseUrl, firstToken);
        await Expect(tessPage.Locator("#me-name")).ToHaveTextAsync("Tess Agent");
        await Expect(tessPage.Locator("#settings-button")).ToHaveCountAsync(0);

        // Members: add Tess to the new inbox.
        await Tab(page, "Inboxes").ClickAsync();
        await inboxCard.GetByRole(AriaRole.Button, new() { Name = "Members" }).ClickAsync();
        await inboxCard.Locator(".admin-inline select").SelectOptionAsync(new SelectOptionValue { Label = "Tess Agent (tess@example.com)" });
        await inboxCard.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(inboxCard.Locator(".admin-member-list")).ToContainTextAsync("Tess Agent");

        // Reset Tess's token: the old one stops working, the new one works.
        await Tab(page, "Agents").ClickAsync();
        await tessCard.GetByRole(AriaRole.Button, new() { Name = "Reset token" }).ClickAsync();
        await Expect(once).ToContainTextAsync("New access token of Tess Agent");
        var secondToken = await once.Locator(".admin-copy-text").InputValueAsync();
        Assert.NotEqual(firstToken, secondToken);
        using (var old = server.AgentHttp(firstToken))
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/v1/profile")).StatusCode);
        using (var renewed = server.AgentHttp(secondToken))
            Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync("/api/v1/profile")).StatusCode);

        // Deactivate Tess: her token opens nothing; reactivate her: it works again.
        await tessCard.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(tessCard.Locator(".admin-deactivated")).ToHaveTextAsync("deactivated");
        using (var deactivated = server.AgentHttp(secondToken))
            Assert.Equal(HttpStatusCode.Unauthorized, (await deactivated.GetAsync("/api/v1/profile")).StatusCode);
        await tessCard.GetByRole(AriaRole.Button, new() { Name = "Reactivate" }).ClickAsync();
        await Expect(tessCard.Locator(".admin-deactivated")).ToHaveCountAsync(0);
        using (var reactivated = server.AgentHttp(secondToken))
            Assert.Equal(HttpStatusCode.OK, (await reactivated.GetAsync("/api/v1/profile")).StatusCode);

        // Webhooks: create, see it listed, open its deliveries, delete it.
        await Tab(page, "Webhooks").ClickAsync();
        var webhookForm = page.Locator("form[aria-label='New webhook']");
        await webhookForm.Locator("input[name=url]").FillAsync("http://127.0.0.1:9/x");
        await webhookForm.Locator("button[type=submit]").ClickAsync();
        var webhooksTab = page.Locator("section[aria-label=Webhooks]");
        await Expect(webhooksTab.Locator(".admin-once")).ToContainTextAsync("will not be shown again");
        var webhookCard = webhooksTab.Locator(".admin-webhook", new() { HasText = "http://127.0.0.1:9/x" });
        await Expect(webhookCard).ToContainTextAsync("message_created");
        await webhookCard.GetByRole(AriaRole.Button, new() { Name = "Deliveries" }).ClickAsync();
        await Expect(webhookCard.Locator(".admin-table, .admin-no-deliveries")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "admin-console-webhooks");
        await webhookCard.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(webhookCard).ToHaveCountAsync(0);
        using var admin = server.AgentHttp(server.AgentToken);
        Assert.DoesNotContain("127.0.0.1:9", await admin.GetStringAsync("/api/v1/webhooks"));
    }

    private static ILocator Tab(IPage page, string name) => page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true });

    [GeneratedRegex("^<script src=\"(?<origin>[^\"]+)/widget\\.js\" data-inbox=\"(?<inbox>[A-Za-z0-9_-]+)\" async></script>$")]
    private static partial Regex Snippet();
}
