using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Assignment in the console (issue 24), in Chromium with one browser context per person: an administrator
/// hands a conversation to a colleague who sees it arrive live, auto-assignment spreads new conversations across two
/// signed-in agents, the list filters by inbox and names each row's inbox, Pending and Snooze set the status, and an
/// agent with no inbox is told so until an administrator adds it, when the inbox's conversations appear at once.</summary>
public sealed class AssignmentBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static ILocator Picker(ConsolePage console) => console.Page.Locator("select[aria-label='Assign to']");
    private static ILocator ThreadSub(ConsolePage console) => console.Page.Locator(".thread-sub");

    private static async Task<string> InboxNameAsync(HttpClient admin, long inboxId)
    {
        using var inboxes = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/inboxes"));
        return inboxes.RootElement.EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == inboxId).GetProperty("name").GetString()!;
    }

    [Fact]
    public async Task An_administrator_assigns_a_conversation_to_a_colleague_who_sees_it_live()
    {
        await using var server = await ChatServer.StartAsync();
        var bob = await server.CreateAgent("Bob Builder");
        var cara = await server.CreateContact("Cara Customer");
        await server.StartConversation(cara, "Can someone call me back?");
        using var adminHttp = server.AdminHttp();
        var inboxName = await InboxNameAsync(adminHttp, 1);

        var bobConsole = await ConsolePage.SignInAsync(await NewPageAsync("bob"), server.BaseUrl, bob.AccessToken!);
        await bobConsole.SetFilterAsync("open", "me");
        await Expect(bobConsole.Conversations).ToHaveCountAsync(0);

        var admin = await ConsolePage.SignInAsync(await NewPageAsync("admin"), server.BaseUrl, server.AgentToken);
        await Expect(admin.Conversation("Cara Customer").Locator(".pill.inbox")).ToHaveTextAsync(inboxName);
        await admin.OpenAsync("Cara Customer");
        await Expect(ThreadSub(admin)).ToContainTextAsync(inboxName);
        // The picker lists the inbox's members with their availability.
        await Expect(Picker(admin).Locator("option")).ToHaveCountAsync(3); // Unassigned, the administrator, Bob
        await Expect(Picker(admin).Locator($"option[value='{bob.Id}']")).ToHaveTextAsync("Bob Builder · online");
        await Picker(admin).SelectOptionAsync(new SelectOptionValue { Value = bob.Id.ToString() });
        await Expect(ThreadSub(admin)).ToContainTextAsync("Assigned to Bob Builder");

        // Bob's "Mine" list gets it live, marked as his.
        await Expect(bobConsole.Conversation("Cara Customer")).ToBeVisibleAsync();
        await Expect(bobConsole.Conversation("Cara Customer").Locator(".pill.assignee")).ToHaveTextAsync("You");
        await ScreenshotAsync(admin.Page, "assignment-picker-admin");
        await ScreenshotAsync(bobConsole.Page, "assignment-received-colleague");
    }

    [Fact]
    public async Task Auto_assignment_spreads_new_conversations_across_two_signed_in_agents()
    {
        await using var server = await ChatServer.StartAsync();
        using var adminHttp = server.AdminHttp();
        (await adminHttp.DeleteAsync("/api/v1/inboxes/1/members/1")).EnsureSuccessStatusCode(); // only the two agents take them
        (await adminHttp.PatchJson("/api/v1/accounts/1/inboxes/1", new { enable_auto_assignment = true })).EnsureSuccessStatusCode();
        var alice = await server.CreateAgent("Alice Able");
        var bob = await server.CreateAgent("Bob Baker");

        // Signing in sets each online.
        var aliceConsole = await ConsolePage.SignInAsync(await NewPageAsync("alice"), server.BaseUrl, alice.AccessToken!);
        var bobConsole = await ConsolePage.SignInAsync(await NewPageAsync("bob"), server.BaseUrl, bob.AccessToken!);
        await aliceConsole.SetFilterAsync("open", "me");
        await bobConsole.SetFilterAsync("open", "me");
        await Expect(aliceConsole.Presence).ToHaveValueAsync("online");
        await Expect(bobConsole.Presence).ToHaveValueAsync("online");

        foreach (var name in new[] { "First Customer", "Second Customer", "Third Customer", "Fourth Customer" })
            await server.StartConversation(await server.CreateContact(name), $"Hello from {name}");

        // In turn: the one with the fewest open conversations, ties to the one served longest ago, then the lower id.
        await Expect(aliceConsole.Conversations).ToHaveCountAsync(2);
        await Expect(bobConsole.Conversations).ToHaveCountAsync(2);
        await Expect(aliceConsole.Conversation("First Customer")).ToBeVisibleAsync();
        await Expect(aliceConsole.Conversation("Third Customer")).ToBeVisibleAsync();
        await Expect(bobConsole.Conversation("Second Customer")).ToBeVisibleAsync();
        await Expect(bobConsole.Conversation("Fourth Customer")).ToBeVisibleAsync();
        await ScreenshotAsync(aliceConsole.Page, "auto-assignment-alice");
    }

    [Fact]
    public async Task The_list_names_each_conversations_inbox_and_filters_by_inbox()
    {
        await using var server = await ChatServer.StartAsync();
        using var adminHttp = server.AdminHttp();
        var defaultInbox = await InboxNameAsync(adminHttp, 1);
        var sales = await server.CreateInbox("Sales desk");
        await server.StartConversation(await server.CreateContact("Una Support"), "My order is late");
        var salesContact = await server.CreateContactIn(sales.Identifier, new { name = "Vic Sales" });
        await server.Http.PostRead<ConversationDto>($"/public/api/v1/inboxes/{sales.Identifier}/contacts/{salesContact.SourceId}/conversations",
            new { message = new { content = "Do you have a discount?" } });

        var admin = await ConsolePage.SignInAsync(await NewPageAsync("admin"), server.BaseUrl, server.AgentToken);
        await Expect(admin.Conversations).ToHaveCountAsync(2);
        await Expect(admin.Conversation("Una Support").Locator(".pill.inbox")).ToHaveTextAsync(defaultInbox);
        await Expect(admin.Conversation("Vic Sales").Locator(".pill.inbox")).ToHaveTextAsync("Sales desk");

        var inboxFilter = admin.Page.Locator("select[aria-label='Inbox']");
        await inboxFilter.SelectOptionAsync(new SelectOptionValue { Label = "Sales desk" });
        await Expect(admin.Conversations).ToHaveCountAsync(1);
        await Expect(admin.Conversation("Vic Sales")).ToBeVisibleAsync();
        // A new conversation of another inbox does not enter the filtered list.
        await server.StartConversation(await server.CreateContact("Wes Support"), "Hello?");
        await inboxFilter.SelectOptionAsync(new SelectOptionValue { Label = "All inboxes" });
        await Expect(admin.Conversations).ToHaveCountAsync(3);
        await inboxFilter.SelectOptionAsync(new SelectOptionValue { Label = "Sales desk" });
        await Expect(admin.Conversations).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Pending_and_snooze_set_the_open_conversations_status()
    {
        await using var server = await ChatServer.StartAsync();
        await server.StartConversation(await server.CreateContact("Pat Pending"), "I will send the invoice later");
        var admin = await ConsolePage.SignInAsync(await NewPageAsync("admin"), server.BaseUrl, server.AgentToken);
        await admin.OpenAsync("Pat Pending");

        await admin.Page.Locator(".conversation-actions").GetByRole(AriaRole.Button, new() { Name = "Pending", Exact = true }).ClickAsync();
        await Expect(admin.ThreadStatus).ToHaveTextAsync("pending");
        await admin.SetFilterAsync("pending", "all");
        await Expect(admin.Conversation("Pat Pending")).ToBeVisibleAsync();

        await admin.Page.Locator("select[aria-label='Snooze']").SelectOptionAsync(new SelectOptionValue { Label = "For an hour" });
        await Expect(admin.ThreadStatus).ToHaveTextAsync("snoozed");
        using var adminHttp = server.AdminHttp();
        var snoozed = (await adminHttp.ListAsAgent("?status=snoozed")).Data.Single();
        Assert.InRange(snoozed.SnoozedUntil!.Value, DateTimeOffset.UtcNow.AddMinutes(55).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(65).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task An_administrator_creates_a_team_fills_it_and_turns_on_auto_assignment_in_settings()
    {
        await using var server = await ChatServer.StartAsync();
        var bob = await server.CreateAgent("Bob Teammate");
        using var adminHttp = server.AdminHttp();
        var inboxName = await InboxNameAsync(adminHttp, 1);
        var page = await NewPageAsync("admin", 1360, 900);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Teams", Exact = true }).ClickAsync();

        var form = page.GetByRole(AriaRole.Form, new() { Name = "New team" });
        await form.GetByLabel("Name").FillAsync("Night shift");
        await form.GetByLabel("Description").FillAsync("After 18:00");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        var card = page.Locator(".admin-team", new() { HasText = "Night shift" });
        await Expect(card).ToContainTextAsync("After 18:00");
        await card.Locator("select").SelectOptionAsync(new SelectOptionValue { Label = "Bob Teammate" });
        await Expect(card.Locator(".admin-members")).ToContainTextAsync("Bob Teammate");

        var auto = page.GetByRole(AriaRole.Form, new() { Name = $"Auto-assignment of {inboxName}" });
        await auto.GetByRole(AriaRole.Checkbox).CheckAsync();
        await auto.GetByLabel($"Open conversations per agent in {inboxName}").FillAsync("3");
        await auto.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(auto.Locator("[role=status]")).ToHaveTextAsync("Saved");
        await ScreenshotAsync(page, "settings-teams");

        using var inbox = JsonDocument.Parse(await adminHttp.GetStringAsync("/api/v1/accounts/1/inboxes/1"));
        Assert.True(inbox.RootElement.GetProperty("enable_auto_assignment").GetBoolean());
        Assert.Equal(3, inbox.RootElement.GetProperty("auto_assignment_config").GetProperty("max_assignment_limit").GetInt32());
        using var teams = JsonDocument.Parse(await adminHttp.GetStringAsync("/api/v1/accounts/1/teams"));
        var teamId = teams.RootElement.EnumerateArray().Single().GetProperty("id").GetInt64();
        using var members = JsonDocument.Parse(await adminHttp.GetStringAsync($"/api/v1/accounts/1/teams/{teamId}/team_members"));
        Assert.Equal([bob.Id], members.RootElement.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));

        await card.GetByRole(AriaRole.Button, new() { Name = "Remove Bob Teammate from Night shift" }).ClickAsync();
        await Expect(card.Locator(".admin-members li")).ToHaveCountAsync(0);
        await card.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.Locator(".admin-team")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_agent_with_no_inbox_is_told_whom_to_ask_and_sees_the_inboxs_conversations_once_added()
    {
        await using var server = await ChatServer.StartAsync();
        await server.StartConversation(await server.CreateContact("Quinn Waiting"), "Anyone there?");
        var newcomer = await server.CreateAgent("Nia New", inboxId: null);
        using var adminHttp = server.AdminHttp();
        var adminName = (await adminHttp.GetRead<AgentDto>("/api/v1/profile")).Name;

        var console = await ConsolePage.SignInAsync(await NewPageAsync("newcomer"), server.BaseUrl, newcomer.AccessToken!);
        var notice = console.Page.Locator(".no-inbox-notice");
        await Expect(notice).ToHaveTextAsync($"You are not a member of any inbox yet; ask an administrator: {adminName}.");
        await Expect(console.Conversations).ToHaveCountAsync(0);
        await ScreenshotAsync(console.Page, "no-inbox-notice");

        (await adminHttp.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { newcomer.Id } })).EnsureSuccessStatusCode();
        await Expect(console.Conversation("Quinn Waiting")).ToBeVisibleAsync();
        await Expect(notice).ToBeHiddenAsync();
    }
}
