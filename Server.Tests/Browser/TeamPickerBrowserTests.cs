using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Teams in the console (issue 24), in Chromium with one browser context per person: an administrator assigns
/// a conversation to a team with the thread header's picker, a colleague's console shows the team on the row and in its
/// filter live (a team created after the consoles opened included), and "No team" clears it everywhere.</summary>
public sealed class TeamPickerBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static ILocator TeamPicker(ConsolePage console) => console.Page.Locator("select[aria-label='Team']");
    private static ILocator TeamFilter(ConsolePage console) => console.Page.Locator("select[aria-label='Team filter']");
    private static ILocator ThreadSub(ConsolePage console) => console.Page.Locator(".thread-sub");
    private static ILocator TeamTag(ConsolePage console, string contactName) => console.Conversation(contactName).Locator(".pill.team");

    private static async Task<long> CreateTeamAsync(HttpClient admin, string name)
    {
        var created = await admin.PostJson("/api/v1/accounts/1/teams", new { name });
        created.EnsureSuccessStatusCode();
        using var team = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return team.RootElement.GetProperty("id").GetInt64();
    }

    private static async Task<long?> TeamIdOfAsync(HttpClient admin, long conversationId)
    {
        using var c = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/accounts/1/conversations/{conversationId}"));
        var teamId = c.RootElement.GetProperty("meta").TryGetProperty("team", out var team) && team.ValueKind == JsonValueKind.Object
            ? team.GetProperty("id").GetInt64() : (long?)null;
        return teamId;
    }

    [Fact]
    public async Task An_administrator_assigns_a_conversation_to_a_team_and_a_colleague_sees_it_live()
    {
        await using var server = await ChatServer.StartAsync();
        using var adminHttp = server.AdminHttp();
        var billing = await CreateTeamAsync(adminHttp, "Billing");
        var bob = await server.CreateAgent("Bob Builder");
        var cara = await server.StartConversation(await server.CreateContact("Cara Customer"), "My invoice is wrong");
        var dan = await server.StartConversation(await server.CreateContact("Dan Customer"), "Can I pay by card?");

        var bobConsole = await ConsolePage.SignInAsync(await NewPageAsync("bob"), server.BaseUrl, bob.AccessToken!);
        await Expect(bobConsole.Conversations).ToHaveCountAsync(2);
        var admin = await ConsolePage.SignInAsync(await NewPageAsync("admin"), server.BaseUrl, server.AgentToken);
        await admin.OpenAsync("Cara Customer");
        await Expect(TeamPicker(admin).Locator("option")).ToHaveTextAsync(["No team", "Billing"]);
        await Expect(TeamPicker(admin)).ToHaveValueAsync("");

        await TeamPicker(admin).SelectOptionAsync(new SelectOptionValue { Label = "Billing" });
        await Expect(ThreadSub(admin)).ToContainTextAsync("Team Billing");
        await Expect(TeamTag(admin, "Cara Customer")).ToHaveTextAsync("Billing");
        Assert.Equal(billing, await TeamIdOfAsync(adminHttp, cara.Id));

        // Bob's console shows it live on the row, in the header, and in its team filter.
        await Expect(TeamTag(bobConsole, "Cara Customer")).ToHaveTextAsync("Billing");
        await bobConsole.OpenAsync("Cara Customer");
        await Expect(TeamPicker(bobConsole)).ToHaveValueAsync(billing.ToString());
        await Expect(ThreadSub(bobConsole)).ToContainTextAsync("Team Billing");
        await TeamFilter(bobConsole).SelectOptionAsync(new SelectOptionValue { Label = "Billing" });
        await Expect(bobConsole.Conversations).ToHaveCountAsync(1);
        await Expect(bobConsole.Conversation("Cara Customer")).ToBeVisibleAsync();

        // A team created after the consoles read theirs: its name arrives with the first conversation assigned to it.
        var nightShift = await CreateTeamAsync(adminHttp, "Night shift");
        (await adminHttp.PostJson($"/api/v1/accounts/1/conversations/{dan.Id}/assignments", new { team_id = nightShift })).EnsureSuccessStatusCode();
        await Expect(TeamTag(admin, "Dan Customer")).ToHaveTextAsync("Night shift");
        await TeamFilter(bobConsole).SelectOptionAsync(new SelectOptionValue { Label = "All teams" });
        await Expect(TeamTag(bobConsole, "Dan Customer")).ToHaveTextAsync("Night shift");
        await TeamFilter(bobConsole).SelectOptionAsync(new SelectOptionValue { Label = "Billing" });
        await Expect(bobConsole.Conversations).ToHaveCountAsync(1);
        await ScreenshotAsync(admin.Page, "team-picker-admin");

        // "No team" clears it: gone from the header and the rows, and from Bob's Billing list, live.
        await TeamPicker(admin).SelectOptionAsync(new SelectOptionValue { Label = "No team" });
        await Expect(ThreadSub(admin)).Not.ToContainTextAsync("Team ");
        await Expect(TeamTag(admin, "Cara Customer")).ToHaveCountAsync(0);
        await Expect(bobConsole.Conversations).ToHaveCountAsync(0);
        await Expect(TeamPicker(bobConsole)).ToHaveValueAsync("");
        await Expect(ThreadSub(bobConsole)).Not.ToContainTextAsync("Team ");
        Assert.Null(await TeamIdOfAsync(adminHttp, cara.Id));
    }
}
