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

/// <summary>The widget for everyone (issue 25), in real Chromium on a customer's own site (another origin): in German
/// (data-locale="de") with the inbox's pre-chat form asking a required email, refused in German without it, the
/// conversation started with it and the agent seeing the email and the custom field on the contact; the emoji picker
/// (its script and data from the ChatHub server, across origins); a sound on a reply while the panel is closed; the
/// agent's avatar beside their messages; Arabic laid out right to left; axe-core finding no serious or critical
/// violation in the widget (open panel, pre-chat form, its errors, the conversation, Arabic) nor in the console.</summary>
public sealed class WidgetForEveryoneBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Counts the tones the page plays (Web Audio oscillators started), before any script of the page runs.</summary>
    private const string CountTones = """
        (() => {
          window.__tones = 0;
          const start = OscillatorNode.prototype.start;
          OscillatorNode.prototype.start = function (...args) { window.__tones++; return start.apply(this, args); };
        })();
        """;

    private static readonly object PreChatForm = new
    {
        pre_chat_form_enabled = true,
        pre_chat_form_options = new
        {
            pre_chat_message = (string?)null,
            pre_chat_fields = new object[]
            {
                new { name = "emailAddress", field_type = "standard", type = "email", label = "Email Id", required = true, enabled = true },
                new { name = "fullName", field_type = "standard", type = "text", label = "Full name", required = false, enabled = true },
                new { name = "phoneNumber", field_type = "standard", type = "text", label = "Phone number", required = false, enabled = false },
                new { name = "company", field_type = "contact_attribute", type = "text", label = "Firma", required = false, enabled = true },
            },
        },
    };

    [Fact]
    public async Task In_German_a_required_pre_chat_email_is_asked_first_and_the_agent_sees_it_on_the_contact()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        (await admin.PatchJson("/api/v1/inboxes/1", PreChatForm)).EnsureSuccessStatusCode();
        await using var site = await HostSite.StartAsync();
        var page = await NewPageAsync("customer", 1100, 800, forDocs: true);
        await page.Context.AddInitScriptAsync(CountTones);
        await page.GotoAsync(site.AddWidgetPage("de.html", server.BaseUrl, new Dictionary<string, string>
        {
            ["inbox"] = server.InboxIdentifier, ["locale"] = "de",
        }));
        var widget = new WidgetPage(page);
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-label", "Chat öffnen");
        await Expect(page.Locator("chathub-widget .root")).ToHaveAttributeAsync("lang", "de");
        await AssertNoSeriousAxeViolationsAsync(page.Locator("chathub-widget"), "the closed widget");

        // The form comes first: labelled fields (the email marked required), no message box yet; the first field has the focus.
        await widget.Launcher.PressAsync("Enter");
        await Expect(widget.Panel).ToBeVisibleAsync();
        var form = page.Locator("chathub-widget form.inbox-prechat");
        await Expect(form.Locator(".prechat-title")).ToHaveTextAsync("Bevor wir beginnen");
        var email = form.GetByLabel("E-Mail-Adresse");
        var name = form.GetByLabel("Vollständiger Name");
        var company = form.GetByLabel("Firma");
        await Expect(email).ToHaveAttributeAsync("aria-required", "true");
        await Expect(email).ToBeFocusedAsync();
        await Expect(page.Locator("chathub-widget .composer")).ToBeHiddenAsync();
        await AssertNoSeriousAxeViolationsAsync(page.Locator("chathub-widget"), "the pre-chat form");

        // Without the email: a German error under it, the field marked invalid and focused; nothing is created.
        await name.FillAsync("Lena Schmidt");
        await form.GetByRole(AriaRole.Button, new() { Name = "Gespräch beginnen" }).ClickAsync();
        var error = form.Locator(".prechat-error").First;
        await Expect(error).ToHaveTextAsync("Bitte füllen Sie E-Mail-Adresse aus.");
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(email).ToBeFocusedAsync();
        Assert.Equal(await error.GetAttributeAsync("id"), await email.GetAttributeAsync("aria-describedby"));
        await email.FillAsync("not-an-email");
        await email.PressAsync("Enter");
        await Expect(error).ToHaveTextAsync("Bitte geben Sie eine gültige E-Mail-Adresse ein.");
        await AssertNoSeriousAxeViolationsAsync(page.Locator("chathub-widget"), "the pre-chat form with its errors");
        await PublishToDocsAsync(page, await ScreenshotAsync(page, "widget-prechat-de"), "widget-prechat-de.png");
        var noneYet = await (await admin.GetAsync("/api/v1/accounts/1/contacts/search?q=lena.schmidt")).JsonBody();
        Assert.Empty(noneYet.GetProperty("payload").EnumerateArray());

        // With it: the form goes, the message box takes the focus, and the first message starts the conversation.
        var address = $"lena.schmidt-{Guid.NewGuid():N}@example.com";
        await email.FillAsync(address);
        await company.FillAsync("Kaffee GmbH");
        await email.PressAsync("Enter");
        await Expect(form).ToHaveCountAsync(0);
        await Expect(widget.Input).ToBeFocusedAsync();
        await Expect(widget.Input).ToHaveAttributeAsync("placeholder", "Nachricht schreiben…");

        // An emoji from the picker (loaded from the ChatHub server on first use, with its German data) goes in at the caret.
        await widget.Input.FillAsync("Hallo ");
        var emojiButton = page.Locator("chathub-widget .emoji-button");
        await Expect(emojiButton).ToHaveAttributeAsync("aria-label", "Emoji einfügen");
        await emojiButton.ClickAsync();
        await Expect(emojiButton).ToHaveAttributeAsync("aria-expanded", "true");
        var firstEmoji = page.Locator("chathub-widget emoji-picker button[id^=emo-]").First;
        await Expect(firstEmoji).ToBeVisibleAsync();
        var chosen = await firstEmoji.GetAttributeAsync("aria-label");
        await firstEmoji.ClickAsync();
        await Expect(page.Locator("chathub-widget .emoji-popover")).ToBeHiddenAsync();
        await Expect(widget.Input).ToHaveValueAsync(new Regex("^Hallo .+"));
        await Expect(widget.Input).ToBeFocusedAsync();
        Output.WriteLine($"emoji chosen: {chosen}; message box: {await widget.Input.InputValueAsync()}");
        await widget.Input.FillAsync("Hallo, wann kommt meine Bestellung?");
        await widget.Input.PressAsync("Enter");
        await Expect(widget.OwnRow("Hallo, wann kommt meine Bestellung?")).ToHaveAttributeAsync("data-status", new Regex("^(sent|read)$"));
        await Expect(widget.OwnRows.Last.Locator(".state-text")).ToHaveTextAsync(new Regex("^(Gesendet|Gelesen)$"));

        // The agent sees the email (and the custom field) on the contact.
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);
        await console.OpenAsync("Lena Schmidt");
        await Expect(console.Page.Locator(".details")).ToContainTextAsync(address);
        var found = await (await admin.GetAsync($"/api/v1/accounts/1/contacts/search?q={Uri.EscapeDataString(address)}")).JsonBody();
        var contact = Assert.Single(found.GetProperty("payload").EnumerateArray());
        Assert.Equal("Kaffee GmbH", contact.GetProperty("custom_attributes").GetProperty("company").GetString());
        await AssertNoSeriousAxeViolationsAsync(console.Page.Locator("body"), "the console's main view");

        // The agent's reply has their avatar beside it; the log announces it (aria-live).
        await console.Composer.FillAsync("Morgen früh!");
        await console.Composer.PressAsync("Enter");
        await Expect(widget.AgentMessages.Last).ToHaveTextAsync("Morgen früh!");
        await Expect(page.Locator("chathub-widget .row.them:not(.greeting)").Last.Locator(".avatar")).ToBeVisibleAsync();
        await Expect(widget.Log).ToHaveAttributeAsync("aria-live", "polite");
        await AssertNoSeriousAxeViolationsAsync(page.Locator("chathub-widget"), "the conversation");

        // Closed panel: the next reply sounds (two short tones), and the launcher counts it, in German.
        await page.Keyboard.PressAsync("Escape");
        await Expect(widget.Panel).ToBeHiddenAsync();
        await Expect(widget.Launcher).ToBeFocusedAsync();
        var tonesBefore = await page.EvaluateAsync<int>("() => window.__tones");
        await console.Composer.FillAsync("Ihre Sendungsnummer ist 4711.");
        await console.Composer.PressAsync("Enter");
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-label", "Chat öffnen (1 ungelesen)");
        Assert.Equal(tonesBefore + 2, await page.EvaluateAsync<int>("() => window.__tones"));
    }

    [Fact]
    public async Task In_Arabic_the_widget_is_laid_out_right_to_left_and_without_sound_when_turned_off()
    {
        await using var server = await ChatServer.StartAsync();
        await using var site = await HostSite.StartAsync();
        var page = await NewPageAsync("customer", 1100, 800, forDocs: true);
        await page.Context.AddInitScriptAsync(CountTones);
        await page.GotoAsync(site.AddWidgetPage("ar.html", server.BaseUrl, new Dictionary<string, string>
        {
            ["inbox"] = server.InboxIdentifier, ["locale"] = "ar-EG", ["sound"] = "off",
        }));
        var widget = new WidgetPage(page);
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-label", "فتح المحادثة");
        var root = page.Locator("chathub-widget .root");
        await Expect(root).ToHaveAttributeAsync("dir", "rtl");
        await Expect(root).ToHaveAttributeAsync("lang", "ar");
        await widget.OpenAsync();
        await Expect(widget.Input).ToHaveAttributeAsync("placeholder", "اكتب رسالة…");

        // Right to left: the send button is at the left end of the composer, the attach button at the right.
        var send = await page.Locator("chathub-widget .send").BoundingBoxAsync();
        var attach = await page.Locator("chathub-widget .attach").First.BoundingBoxAsync();
        var input = await widget.Input.BoundingBoxAsync();
        Assert.True(send!.X < input!.X && input.X < attach!.X, $"send {send.X}, input {input.X}, attach {attach!.X}");
        await widget.SendAndWaitAsync("مرحبا");
        var own = await widget.OwnMessages.Last.BoundingBoxAsync();
        var body = await page.Locator("chathub-widget .body").BoundingBoxAsync();
        Assert.True(own!.X - body!.X < body.X + body.Width - (own.X + own.Width), "the customer's own message sits on the left in RTL");
        await AssertNoSeriousAxeViolationsAsync(page.Locator("chathub-widget"), "the widget in Arabic");
        await PublishToDocsAsync(page, await ScreenshotAsync(page, "widget-rtl-ar"), "widget-rtl-ar.png");

        // data-sound="off": a reply while the panel is closed counts, but plays nothing.
        await page.Keyboard.PressAsync("Escape");
        await Expect(widget.Panel).ToBeHiddenAsync();
        using var admin = server.AdminHttp();
        var conversation = Assert.Single((await admin.ListAsAgent()).Data);
        await admin.SendAsAgent(conversation.Id, "أهلا");
        await Expect(widget.Badge).ToHaveTextAsync("1"); // the reply arrived (and would have sounded by now)
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__tones"));
    }

    private static async Task AssertNoSeriousAxeViolationsAsync(ILocator area, string what)
    {
        // The panel rises in (opacity from 0), and axe reads colours mid-fade as too faint: with reduced motion asked
        // for, the widget has no animation (styles.js), so what axe measures is what stays on screen.
        await area.Page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
        var axe = await area.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, $"axe, {what}:\n" + string.Join('\n', serious));
        Assert.NotEmpty(axe.Passes);
    }
}
