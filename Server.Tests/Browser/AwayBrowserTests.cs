using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>"Nobody there" in real Chromium (issue 24): with no agent online the widget shows the inbox's out-of-office
/// message and, after the customer's first message, asks for their email, stores it on the contact and confirms; the
/// customer leaves, an agent replies, and the reply arrives at the test SMTP server with the link back to the page the
/// customer was on, without the private note written beside it.</summary>
public sealed class AwayBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task The_widget_asks_for_an_email_when_nobody_is_online_and_the_reply_written_while_away_is_emailed()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = smtp.Settings;
        settings["Email:ReplyDelaySeconds"] = "1";
        settings["Email:PollInterval"] = "00:00:00.200";
        await using var server = await ChatServer.StartAsync(settings: settings);
        using var admin = server.AdminHttp();
        (await admin.PatchJson("/api/v1/inboxes/1", new { out_of_office_message = "We're away until Monday 9:00." })).EnsureSuccessStatusCode();
        var inbox = await (await server.Http.GetAsync(server.ClientApi)).JsonBody();
        Assert.False(inbox.GetProperty("online").GetBoolean()); // no agent online: nobody there

        var page = await NewPageAsync("customer", 1100, 760, forDocs: true);
        var widget = await WidgetPage.OpenDemoAsync(page, server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        var away = page.Locator("chathub-widget .away");
        await Expect(away).ToContainTextAsync("We're away until Monday 9:00.");
        await Expect(away.Locator("input[type=email]")).ToHaveCountAsync(0); // not before the customer has written

        await page.Locator("chathub-widget .prechat input[type=text]").FillAsync("Jo Miller");
        await widget.SendAndWaitAsync("Is the grinder back in stock?");
        var field = away.Locator("input[type=email]");
        await Expect(field).ToBeVisibleAsync();
        await field.FillAsync("not an email");
        await away.Locator("button[type=submit]").ClickAsync();
        await Expect(away.Locator(".away-error")).ToContainTextAsync("valid email");
        var email = $"jo-{Guid.NewGuid():N}@example.com";
        await field.FillAsync(email);
        await away.Locator("button[type=submit]").ClickAsync();
        await Expect(away.Locator(".away-confirmed")).ToHaveTextAsync($"We'll email you at {email} when we reply.");
        await ScreenshotAsync(page, "widget-away-email");

        // With the email known, the customer can have the conversation by email.
        await away.Locator(".away-transcript").ClickAsync();
        await Expect(away).ToContainTextAsync("The transcript is on its way to your email.");
        var transcript = await smtp.WaitForAsync(m => m.RcptTo.Contains(email) && m.Subject.StartsWith("Your conversation with"));
        Assert.Contains("Is the grinder back in stock?", transcript.Text);

        // Stored on the contact (the agents see it).
        var contacts = await (await admin.GetAsync($"/api/v1/accounts/1/contacts/search?q={Uri.EscapeDataString(email)}")).JsonBody();
        var contact = Assert.Single(contacts.GetProperty("payload").EnumerateArray());
        Assert.Equal("Jo Miller", contact.GetProperty("name").GetString());
        var pageUrl = page.Url;

        // The customer leaves; an agent replies (and writes a private note beside it).
        await page.CloseAsync();
        var conversation = Assert.Single((await admin.ListAsAgent()).Data);
        await admin.SendAsAgent(conversation.Id, "Note: ask the warehouse first", isPrivate: true);
        await admin.SendAsAgent(conversation.Id, "Yes! It is back in stock since this morning.");

        var mail = await smtp.WaitForAsync(m => m.RcptTo.Contains(email) && m.Subject.Contains("reply"));
        Assert.Contains("Yes! It is back in stock since this morning.", mail.Text);
        Assert.Contains(pageUrl, mail.Text);
        Assert.DoesNotContain("warehouse", mail.Text);
        Assert.DoesNotContain("warehouse", mail.Html);
    }
}
