using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The contact's profile in the console (issue 25): a note an agent adds on one conversation is shown on the
/// contact's next conversation (and never reaches the customer); the previous conversations open; an email edited in
/// the profile is stored; the Contacts view finds the contact by a search and shows the same profile. axe-core finds
/// no serious or critical violation in the profile or the view.</summary>
public sealed class ContactProfileBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task A_note_added_on_one_conversation_shows_on_the_next_and_an_edited_email_is_stored()
    {
        await using var server = await ChatServer.StartAsync();
        var nora = await server.CreateContact("Nora Noted", new { name = "Nora Noted", email = "nora@old.example", custom_attributes = new { plan = "gold" } });
        var first = await server.StartConversation(nora, "First visit: my order is late");
        await server.CreateContact("Olaf Other", new { name = "Olaf Other", email = "olaf@other.example" });

        var page = await NewPageAsync("agent", 1400, 900, forDocs: true);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Nora Noted");
        var profile = page.Locator("#details .contact-profile");
        await Expect(profile.GetByRole(AriaRole.Heading, new() { Name = "Nora Noted" })).ToBeVisibleAsync();
        await Expect(profile.Locator(".cp-details")).ToContainTextAsync("gold");
        await Expect(profile.Locator(".cp-conversation.current")).ToContainTextAsync($"#{first.Id}");

        // A note on this conversation's contact.
        const string noteText = "Prefers a call back after 5 pm";
        await profile.GetByLabel("New note").FillAsync(noteText);
        await profile.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(profile.Locator(".cp-note")).ToHaveCountAsync(1);
        await Expect(profile.Locator(".cp-note-content")).ToHaveTextAsync(noteText);
        await Expect(profile.GetByLabel("New note")).ToHaveValueAsync("");
        await PublishToDocsAsync(page, await ScreenshotAsync(page, "console-contact-profile"), "console-contact-profile.png");
        await AssertNoSeriousAxeViolationsAsync(profile, "the contact's profile");

        // The contact's next conversation shows it, with the first one to open.
        var next = await server.StartConversation(nora, "Second visit: any news?");
        await page.EvaluateAsync($"location.hash = '#/conversations/{next.Id}'");
        await Expect(page.Locator(".msg.in .bubble").Last).ToHaveTextAsync("Second visit: any news?");
        await Expect(profile.Locator(".cp-conversation.current")).ToContainTextAsync($"#{next.Id}");
        await Expect(profile.Locator(".cp-note-content")).ToHaveTextAsync(noteText);
        await profile.Locator($"button.cp-conversation[data-conversation-id='{first.Id}']").ClickAsync();
        await Expect(page.Locator(".msg.in .bubble").Last).ToHaveTextAsync("First visit: my order is late");
        await Expect(profile.Locator(".cp-note-content")).ToHaveTextAsync(noteText);

        // The customer's own view of its conversations never carries the note.
        var own = await server.Http.GetStringAsync($"{server.ClientApi}/contacts/{nora.SourceId}/conversations");
        Assert.Contains("Second visit", own);
        Assert.DoesNotContain(noteText, own);

        // The email edited in the profile is stored.
        await profile.GetByRole(AriaRole.Button, new() { Name = "Edit contact" }).ClickAsync();
        var edit = profile.GetByRole(AriaRole.Form, new() { Name = "Edit contact" });
        await Expect(edit.GetByLabel("Email")).ToHaveValueAsync("nora@old.example");
        await edit.GetByLabel("Email").FillAsync("nora@new.example");
        await AssertNoSeriousAxeViolationsAsync(profile, "the contact's profile, editing");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(edit).ToBeHiddenAsync();
        await Expect(profile.Locator(".cp-details")).ToContainTextAsync("nora@new.example");
        using var admin = server.AdminHttp();
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/1/contacts/{nora.Id}");
        Assert.Equal("nora@new.example", stored.GetProperty("payload").GetProperty("email").GetString());
        await Expect(page.Locator(".thread-sub")).ToContainTextAsync("nora@new.example");

        // The Contacts view finds her by a search and shows the same profile; its note can be deleted there.
        await page.GetByRole(AriaRole.Button, new() { Name = "Contacts", Exact = true }).ClickAsync();
        var view = page.Locator("#contacts-view");
        var found = view.Locator(".contacts-item");
        await Expect(found).ToHaveCountAsync(2); // every contact, until a search
        await view.GetByLabel("Search contacts").FillAsync("new.example");
        await Expect(view.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 contact matches “new.example”");
        await Expect(found).ToHaveCountAsync(1);
        await Expect(found).ToContainTextAsync("Nora Noted");
        await found.ClickAsync();
        var viewProfile = view.Locator(".contact-profile");
        await Expect(viewProfile.Locator(".cp-note-content")).ToHaveTextAsync(noteText);
        await Expect(viewProfile.Locator("button.cp-conversation")).ToHaveCountAsync(2);
        await PublishToDocsAsync(page, await ScreenshotAsync(page, "console-contacts-view"), "console-contacts-view.png");
        await AssertNoSeriousAxeViolationsAsync(view, "the Contacts view");
        await viewProfile.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Delete the note") }).ClickAsync();
        await Expect(viewProfile.Locator(".cp-note")).ToHaveCountAsync(0);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/1/contacts/{nora.Id}/notes")).GetArrayLength());

        // A previous conversation opens from there in the conversations view.
        await viewProfile.Locator($"button.cp-conversation[data-conversation-id='{next.Id}']").ClickAsync();
        await Expect(view).ToBeHiddenAsync();
        await Expect(page.Locator(".msg.in .bubble").Last).ToHaveTextAsync("Second visit: any news?");
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
