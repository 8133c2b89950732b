using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The widget as a customer uses it, on a page that embeds it. Playwright's CSS locators enter the
/// widget's (open) shadow root.</summary>
public sealed class WidgetPage(IPage page)
{
    public IPage Page => page;
    public ILocator Launcher => page.Locator("chathub-widget .launcher");
    public ILocator Badge => page.Locator("chathub-widget .launcher .badge");
    public ILocator Panel => page.Locator("chathub-widget .panel");
    public ILocator Input => page.Locator("chathub-widget textarea.input");
    public ILocator Banner => page.Locator("chathub-widget .banner");
    public ILocator Typing => page.Locator("chathub-widget .typing-row");
    public ILocator Resolved => page.Locator("chathub-widget .resolved");
    public ILocator Prechat => page.Locator("chathub-widget .prechat");
    public ILocator Error => page.Locator("chathub-widget .end");
    /// <summary>Messages from agents (not the inbox's greeting).</summary>
    public ILocator AgentMessages => page.Locator("chathub-widget .row.them:not(.greeting) .bubble");
    public ILocator OwnRows => page.Locator("chathub-widget .row.me");
    public ILocator OwnMessages => page.Locator("chathub-widget .row.me .bubble");
    public ILocator Activities => page.Locator("chathub-widget .activity");
    public ILocator Log => page.Locator("chathub-widget .log");
    public ILocator FilePicker => page.Locator("chathub-widget input.file-picker");
    public ILocator OwnImages => page.Locator("chathub-widget .row.me .attachment-image img");
    public ILocator AgentFiles => page.Locator("chathub-widget .row.them .attachment-file");
    public ILocator UploadError => page.Locator("chathub-widget .upload-error");
    public ILocator Lightbox => page.Locator("chathub-widget .lightbox");

    public ILocator OwnRow(string text) => page.Locator("chathub-widget .row.me", new PageLocatorOptions { Has = page.Locator(".bubble", new PageLocatorOptions { HasText = text }) });

    /// <summary>The demo page at / for an inbox.</summary>
    public static async Task<WidgetPage> OpenDemoAsync(IPage page, Uri server, string inbox)
    {
        await page.GotoAsync(new Uri(server, $"/?inbox={Uri.EscapeDataString(inbox)}").ToString());
        var widget = new WidgetPage(page);
        await Expect(widget.Launcher).ToBeVisibleAsync();
        return widget;
    }

    /// <summary>Opens the panel. Clicked again when the panel stays closed: once, in the full suite, a second tab's
    /// first click left it closed for 30 s (a click before the widget was ready, or one that closed a panel the page
    /// opened by itself; not pinned down), and the tests are about what follows the opening.</summary>
    public async Task OpenAsync()
    {
        for (var attempt = 0; attempt < 3 && !await Panel.IsVisibleAsync(); attempt++)
        {
            await Launcher.ClickAsync();
            try { await Expect(Panel).ToBeVisibleAsync(new() { Timeout = 10_000 }); }
            catch (PlaywrightException) { /* clicked again */ }
        }
        await Expect(Panel).ToBeVisibleAsync();
    }

    public async Task SendAsync(string text)
    {
        await Input.FillAsync(text);
        await Input.PressAsync("Enter");
    }

    /// <summary>Sends and waits until the server acknowledged it (delivery state past "sending").</summary>
    public async Task SendAndWaitAsync(string text)
    {
        await SendAsync(text);
        await Expect(OwnRow(text)).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(sent|read)$"));
    }
}
