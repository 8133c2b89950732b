using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Settings > Inboxes > members: an administrator removes an agent from an inbox in the console. The agent's
/// REST calls are refused at once, its console lets the inbox's conversations go (the open one and a listed one) on
/// the first refused call, and adding the agent back brings them back live (the list read again at once). An
/// administrator removing itself is told what it means and its own list empties.</summary>
public sealed class InboxMemberRemovalBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task An_administrator_removes_an_agent_from_an_inbox_and_the_agents_console_lets_its_conversations_go()
    {
        await using var server = await ChatServer.StartAsync();
        var sam = await server.CreateAgent("Sam Support"); // a member of the bootstrap inbox
        var onaContact = await server.CreateContact("Ona Open");
        var ona = await server.StartConversation(onaContact, "Where is my order?");
        var leeContact = await server.CreateContact("Lee Listed");
        var lee = await server.StartConversation(leeContact, "Do you ship to Norway?");
        using var adminHttp = server.AgentHttp(server.AgentToken);
        using var samHttp = server.AgentHttp(sam.AccessToken!);
        var inboxName = await InboxNameAsync(adminHttp, ona.InboxId);
        var adminName = (await adminHttp.GetRead<AgentDto>("/api/v1/profile")).Name;

        // Sam has one conversation open and the other listed.
        var samConsole = await ConsolePage.SignInAsync(await NewPageAsync("sam", 1280, 800), server.BaseUrl, sam.AccessToken!);
        await Expect(samConsole.Conversations).ToHaveCountAsync(2);
        await samConsole.OpenAsync("Ona Open");
        await Expect(samConsole.IncomingMessages).ToHaveTextAsync(["Where is my order?"]);

        var page = await NewPageAsync("admin", 1360, 900);
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        var adminConsole = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await Expect(adminConsole.Conversations).ToHaveCountAsync(2);
        await page.Locator("#settings-button").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Inboxes", Exact = true }).ClickAsync();
        var inboxCard = page.Locator(".admin-inbox", new() { Has = page.Locator(".admin-card-title", new() { HasText = inboxName }) });
        await inboxCard.GetByRole(AriaRole.Button, new() { Name = "Members" }).ClickAsync();
        var memberList = inboxCard.Locator(".admin-member-list");
        var samOption = inboxCard.Locator(".admin-inline select option", new() { HasText = "Sam Support" });
        await Expect(memberList).ToContainTextAsync("Sam Support");
        await Expect(samOption).ToHaveCountAsync(0);

        // Remove Sam: confirmed, the list redrawn, Sam back in the picker, and the server refuses Sam the inbox.
        await inboxCard.GetByRole(AriaRole.Button, new() { Name = $"Remove Sam Support from {inboxName}", Exact = true }).ClickAsync();
        await Expect(memberList).Not.ToContainTextAsync("Sam Support");
        await Expect(samOption).ToHaveCountAsync(1);
        Assert.Equal($"Remove Sam Support from {inboxName}? They will no longer see this inbox's conversations.", Assert.Single(dialogs));
        Assert.Equal(HttpStatusCode.Forbidden, (await samHttp.GetAsync($"/api/v1/conversations/{ona.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await samHttp.GetAsync($"/api/v1/conversations/{lee.Id}")).StatusCode);

        // Sam's console: the reply to the open conversation is refused, and the conversation leaves, with a notice.
        await samConsole.ReplyAsync("Let me check that for you.");
        await Expect(samConsole.Conversation("Ona Open")).ToHaveCountAsync(0);
        await Expect(samConsole.Thread).ToBeHiddenAsync();
        await Expect(samConsole.Page.Locator(".thread-empty")).ToBeVisibleAsync();
        await Expect(samConsole.Page.Locator("#toast")).ToContainTextAsync("no longer a member of that conversation's inbox");
        Assert.Equal("", await samConsole.Page.EvaluateAsync<string>("() => location.hash"));
        // The listed one goes when Sam opens it.
        await samConsole.Conversation("Lee Listed").ClickAsync();
        await Expect(samConsole.Conversations).ToHaveCountAsync(0);
        await Expect(samConsole.Thread).ToBeHiddenAsync();
        await ScreenshotAsync(samConsole.Page, "inbox-member-removed-agent");

        // Add Sam back: a member again, the REST call answers, and a new customer message reaches Sam's console live.
        await inboxCard.Locator(".admin-inline select").SelectOptionAsync(new SelectOptionValue { Label = $"Sam Support ({sam.Email})" });
        await inboxCard.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(memberList).ToContainTextAsync("Sam Support");
        await Expect(samOption).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.OK, (await samHttp.GetAsync($"/api/v1/conversations/{lee.Id}")).StatusCode);
        (await server.Http.PostJson($"{server.ClientApi}/contacts/{leeContact.SourceId}/conversations/{lee.Id}/messages",
            new { content = "Or to Iceland?" })).EnsureSuccessStatusCode();
        await Expect(samConsole.Conversation("Lee Listed")).ToContainTextAsync("Or to Iceland?");
        // Rejoining brings the inbox's other conversation back at once too (InboxMembersChanged: the list is read again).
        await Expect(samConsole.Conversation("Ona Open")).ToBeVisibleAsync();

        // The administrator removes itself: the confirmation says what it means, and its own list lets the inbox go.
        await ScreenshotAsync(page, "inbox-members-remove");
        await inboxCard.GetByRole(AriaRole.Button, new() { Name = $"Remove {adminName} from {inboxName}", Exact = true }).ClickAsync();
        await Expect(memberList).Not.ToContainTextAsync("(you)");
        Assert.Equal($"Remove yourself from {inboxName}? You will no longer see this inbox's conversations.", dialogs[^1]);
        Assert.Equal(HttpStatusCode.Forbidden, (await adminHttp.GetAsync($"/api/v1/conversations/{ona.Id}")).StatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Back to conversations" }).ClickAsync();
        await Expect(adminConsole.Conversations).ToHaveCountAsync(0);
        await Expect(samConsole.Conversations).ToHaveCountAsync(2); // Sam keeps the inbox
    }

    private static async Task<string> InboxNameAsync(HttpClient admin, long inboxId)
    {
        using var inboxes = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/inboxes"));
        return inboxes.RootElement.EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == inboxId).GetProperty("name").GetString()!;
    }
}
