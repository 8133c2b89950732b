using System.Text.RegularExpressions;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The console's composer belongs to one conversation at a time (ChatHub issue 20, item 10): a private note
/// typed in conversation A stayed in the box when the agent opened B, the mode fell back to "Reply", and Enter sent
/// the note to B's customer. Drafts (text and mode) and unsent attachments are now kept per conversation, and note
/// mode is unmistakable (yellow composer, a label, "Add note") with readable contrast (axe-core).</summary>
public sealed class ConsoleDraftBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly Dictionary<string, string?> ProductionLimits = new() { [ChatServer.RateLimitsOn.Key] = "true" };

    private const string Note = "Internal: Ann's refund was flagged by finance, do not promise a date.";

    [Fact]
    public async Task A_note_typed_in_one_conversation_stays_there_and_never_reaches_a_customer()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var ann = await CustomerAsync(server, "Ann Archer", "Where is my refund?");
        var ben = await CustomerAsync(server, "Ben Baker", "Do you sell gift cards?");
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);
        await Expect(console.Conversations).ToHaveCountAsync(2);

        // A: private note mode, text typed, not sent. The composer says what it is.
        await console.OpenAsync("Ann Archer");
        await NoteTab(console).ClickAsync();
        await console.Composer.FillAsync(Note);
        await ExpectNoteModeAsync(console);
        await AssertReadableAsync(console, "note mode");
        await ScreenshotAsync(console.Page, "console-private-note-mode");

        // B is opened and Enter pressed in the same task, before the console redraws: the composer still shows A's
        // note for that moment, and it must not be sent (to B or anyone). Then B's composer is empty, in reply mode.
        await console.Page.EvaluateAsync("""
            (name) => {
              const row = [...document.querySelectorAll(".conv")].find((r) => r.textContent.includes(name));
              row.click();
              document.querySelector(".composer-input").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
            }
            """, "Ben Baker");
        await Expect(console.ThreadName).ToHaveTextAsync("Ben Baker");
        await Expect(console.Composer).ToHaveValueAsync("");
        await ExpectReplyModeAsync(console);
        await AssertReadableAsync(console, "reply mode");

        const string toBen = "Yes, from 10 to 200 euros, by email.";
        await console.Composer.FillAsync(toBen);
        await console.Composer.PressAsync("Enter");
        await Expect(console.OutgoingRow(toBen)).ToHaveAttributeAsync("data-status", new Regex("^(sent|read)$"));
        await Expect(ben.AgentMessages).ToHaveTextAsync([toBen]);

        // Back to A: the note and its mode are there again; sending it adds a private note in A.
        await console.OpenAsync("Ann Archer");
        await Expect(console.Composer).ToHaveValueAsync(Note);
        await ExpectNoteModeAsync(console);
        await console.Composer.PressAsync("Enter");
        await Expect(console.OutgoingRow(Note)).ToHaveAttributeAsync("data-message-id", new Regex(@"^\d+$")); // acknowledged
        await Expect(console.OutgoingRow(Note)).ToHaveAttributeAsync("data-private", "true");
        await Expect(console.OutgoingRow(Note).Locator(".note-tag")).ToHaveTextAsync("Private note");
        await Expect(console.Composer).ToHaveValueAsync(""); // sending emptied A's draft; the mode stays
        await ExpectNoteModeAsync(console);

        // Barriers: a reply sent after the note reaches each customer; the note, earlier, would have arrived first.
        const string toAnn = "Your refund is being processed, I will write again tomorrow.";
        await console.ReplyAndWaitAsync(toAnn);
        await Expect(ann.AgentMessages.Last).ToHaveTextAsync(toAnn);
        Assert.Equal([toAnn], await ann.AgentMessages.AllInnerTextsAsync());
        await Expect(ann.Log).Not.ToContainTextAsync("Internal");

        await console.OpenAsync("Ben Baker");
        await ExpectReplyModeAsync(console);
        const string benBarrier = "Anything else I can help with?";
        await console.ReplyAndWaitAsync(benBarrier);
        await Expect(ben.AgentMessages.Last).ToHaveTextAsync(benBarrier);
        Assert.Equal([toBen, benBarrier], await ben.AgentMessages.AllInnerTextsAsync());
        await Expect(ben.Log).Not.ToContainTextAsync("Internal");

        // The server holds exactly one private message, the note, in A.
        using var agentHttp = server.AgentHttp(server.AgentToken);
        var conversations = (await agentHttp.GetRead<ConversationPageDto>("/api/v1/conversations")).Data;
        foreach (var conversation in conversations)
        {
            var messages = await agentHttp.GetRead<List<MessageDto>>($"/api/v1/conversations/{conversation.Id}/messages");
            string[] expected = messages.Any(m => m.Content == toAnn) ? [Note] : [];
            Assert.Equal(expected, messages.Where(m => m.Private).Select(m => m.Content));
        }
        await ScreenshotAsync(console.Page, "console-drafts");
    }

    [Fact]
    public async Task A_file_picked_in_note_mode_is_sent_to_its_own_conversation_as_a_note_even_after_a_switch()
    {
        await using var server = await ChatServer.StartAsync(settings: ProductionLimits);
        var ann = await CustomerAsync(server, "Ann Archer", "Can you check my invoice?");
        var ben = await CustomerAsync(server, "Ben Baker", "Hello?");
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);

        // The upload is held in the browser until the agent has moved on to B.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await console.Page.RouteAsync("**/api/v1/uploads", async route =>
        {
            held.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });

        await console.OpenAsync("Ann Archer");
        await NoteTab(console).ClickAsync();
        await console.FilePicker.SetInputFilesAsync(new FilePayload { Name = "internal-audit.txt", MimeType = "text/plain", Buffer = "audit notes"u8.ToArray() });
        await Expect(console.Page.Locator(".uploads .upload")).ToContainTextAsync("internal-audit.txt");
        await held.Task.WaitAsync(BrowserFixture.Timeout);

        await console.OpenAsync("Ben Baker");
        await Expect(console.Page.Locator(".uploads")).ToBeHiddenAsync(); // A's upload is not B's
        var uploaded = console.Page.WaitForResponseAsync("**/api/v1/uploads");
        release.SetResult();
        Assert.True((await uploaded).Ok); // finished while B is open: A's file waits in A's outbox
        const string toBen = "Hi Ben, how can I help?";
        await console.ReplyAndWaitAsync(toBen);
        await Expect(ben.AgentMessages.Last).ToHaveTextAsync(toBen);
        Assert.Equal([toBen], await ben.AgentMessages.AllInnerTextsAsync());
        await Expect(ben.Log).Not.ToContainTextAsync("internal-audit.txt");
        await Expect(console.Page.Locator(".msg .attachment-file")).ToHaveCountAsync(0);

        // Back in A the file goes out, to A, as a private note.
        await console.OpenAsync("Ann Archer");
        var noteFile = console.Page.Locator(".msg.private[data-message-id] .attachment-file");
        await Expect(noteFile).ToContainTextAsync("internal-audit.txt");
        const string toAnn = "I am looking at your invoice now.";
        await console.ReplyAndWaitAsync(toAnn);
        await Expect(ann.AgentMessages.Last).ToHaveTextAsync(toAnn);
        await Expect(ann.AgentFiles).ToHaveCountAsync(0);
        await Expect(ann.Log).Not.ToContainTextAsync("internal-audit.txt");
        await ScreenshotAsync(console.Page, "console-note-attachment");
    }

    private async Task<WidgetPage> CustomerAsync(ChatServer server, string name, string firstMessage)
    {
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync(name, 1000, 760), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync(name);
        await widget.SendAndWaitAsync(firstMessage);
        return widget;
    }

    private static ILocator NoteTab(ConsolePage console) =>
        console.Page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Private note", Exact = true });

    private static ILocator ReplyTab(ConsolePage console) =>
        console.Page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Reply", Exact = true });

    private static async Task ExpectNoteModeAsync(ConsolePage console)
    {
        var composer = console.Page.Locator(".composer");
        await Expect(composer).ToHaveClassAsync(new Regex(@"\bnote-mode\b"));
        await Expect(NoteTab(console)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(composer.Locator(".note-label")).ToBeVisibleAsync();
        await Expect(composer.Locator(".note-label")).ToHaveTextAsync("Private note: only agents see this");
        await Expect(composer.Locator(".send-label")).ToHaveTextAsync("Add note");
        await Expect(console.Composer).ToHaveAccessibleNameAsync("Private note");
        await Expect(console.Composer).ToHaveAccessibleDescriptionAsync("Private note: only agents see this");
        await Expect(composer).ToHaveCSSAsync("background-color", "rgb(255, 243, 196)"); // the yellow (after its transition)
    }

    private static async Task ExpectReplyModeAsync(ConsolePage console)
    {
        var composer = console.Page.Locator(".composer");
        await Expect(composer).Not.ToHaveClassAsync(new Regex(@"\bnote-mode\b"));
        await Expect(ReplyTab(console)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(composer.Locator(".note-label")).ToBeHiddenAsync();
        await Expect(composer.Locator(".send-label")).ToHaveTextAsync("Send");
        await Expect(composer).ToHaveCSSAsync("background-color", "rgb(255, 255, 255)");
    }

    /// <summary>axe-core's colour contrast rule (WCAG AA) on the composer, with text in it so the send button is enabled.</summary>
    private async Task AssertReadableAsync(ConsolePage console, string what)
    {
        var typed = await console.Composer.InputValueAsync();
        if (typed.Length == 0) await console.Composer.FillAsync("contrast check");
        await Expect(console.Page.Locator(".composer .send")).ToBeEnabledAsync();
        var result = await console.Page.Locator(".composer").RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast"] },
        });
        var problems = result.Violations.SelectMany(v => v.Nodes.Select(n => $"{n.Html}: {string.Join("; ", n.Any.Select(c => c.Message))}")).ToList();
        Log($"axe color-contrast, {what}: {result.Passes.Sum(p => p.Nodes.Length)} nodes pass, {problems.Count} fail, {result.Incomplete.Sum(i => i.Nodes.Length)} incomplete");
        Assert.True(problems.Count == 0, $"contrast too low in {what}:\n{string.Join('\n', problems)}");
        Assert.NotEmpty(result.Passes); // the rule ran on the composer's text
        if (typed.Length == 0) await console.Composer.FillAsync("");
    }

    private sealed record ConversationPageDto(List<ConversationDto> Data);
}
