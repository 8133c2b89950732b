using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The agent console at /agent/ as an agent uses it.</summary>
public sealed class ConsolePage(IPage page)
{
    public IPage Page => page;
    public ILocator Conversations => page.Locator(".conv");
    public ILocator Thread => page.Locator(".thread");
    public ILocator ThreadName => page.Locator(".thread-name");
    public ILocator ThreadStatus => page.Locator(".thread-name-row .pill:not(.rating)");
    /// <summary>The customer's CSAT rating in the conversation's header ("Rated 4/5").</summary>
    public ILocator ThreadRating => page.Locator(".thread-name-row .pill.rating");
    public ILocator FilePicker => page.Locator(".composer input.file-picker");
    public ILocator IncomingImages => page.Locator(".msg.in .attachment-image img");
    public ILocator Composer => page.Locator(".composer-input");
    public ILocator IncomingMessages => page.Locator(".msg.in .bubble");
    public ILocator OutgoingRows => page.Locator(".msg.out");
    public ILocator Notes => page.Locator(".msg.private .bubble");
    public ILocator Typing => page.Locator(".thread > .typing");
    public ILocator Seen => page.Locator(".meta-state.seen");
    public ILocator Banner => page.Locator("#banner");
    public ILocator AssignButton => page.Locator(".thread-actions .btn").First;
    public ILocator StatusButton => page.Locator(".thread-actions .btn").Last;
    public ILocator Presence => page.Locator("#presence");

    public ILocator Conversation(string contactName) => page.Locator(".conv", new PageLocatorOptions { HasText = contactName });
    public ILocator OutgoingRow(string text) => page.Locator(".msg.out", new PageLocatorOptions { Has = page.Locator(".bubble", new PageLocatorOptions { HasText = text }) });

    /// <summary>Signs in with an access token (behind the sign-in form's "Use an access token instead"): this tab only.</summary>
    public static async Task<ConsolePage> SignInAsync(IPage page, Uri server, string token)
    {
        await page.GotoAsync(new Uri(server, "/agent/").ToString());
        await ShowTokenFieldAsync(page);
        await page.Locator("#token").FillAsync(token);
        await page.Locator("#signin-button").ClickAsync();
        return await SignedInAsync(page);
    }

    public static async Task ShowTokenFieldAsync(IPage page)
    {
        if (!await page.Locator("#token").IsVisibleAsync()) await page.Locator("#use-token").ClickAsync();
    }

    /// <summary>Signs in with email and password: a session (its cookie) every tab of the context shares.</summary>
    public static async Task<ConsolePage> SignInWithPasswordAsync(IPage page, Uri server, string email, string password)
    {
        await page.GotoAsync(new Uri(server, "/agent/").ToString());
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#signin-button").ClickAsync();
        return await SignedInAsync(page);
    }

    /// <summary>The console shown and connected.</summary>
    public static async Task<ConsolePage> SignedInAsync(IPage page)
    {
        var console = new ConsolePage(page);
        await Expect(page.Locator(".sidebar-head")).ToBeVisibleAsync();
        await Expect(console.Banner).ToBeHiddenAsync(); // connected
        return console;
    }

    public async Task OpenAsync(string contactName)
    {
        await Conversation(contactName).ClickAsync();
        await Expect(Thread).ToBeVisibleAsync();
        await Expect(ThreadName).ToHaveTextAsync(contactName);
    }

    public Task ReplyAsync(string text) => WriteAsync("Reply", text);

    public Task NoteAsync(string text) => WriteAsync("Private note", text);

    private async Task WriteAsync(string tab, string text)
    {
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = tab, Exact = true }).ClickAsync();
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    /// <summary>Writes and waits until the server acknowledged it.</summary>
    public async Task ReplyAndWaitAsync(string text)
    {
        await ReplyAsync(text);
        await Expect(OutgoingRow(text)).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(sent|read)$"));
    }

    public async Task SetFilterAsync(string status, string assignee)
    {
        await page.Locator($".segmented button[data-status={status}]").ClickAsync();
        await page.Locator(".assignee-filter select").SelectOptionAsync(assignee);
    }
}
