using System.Text.RegularExpressions;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Search in the console (issue 25): among 10,000 messages (100 conversations of 100, seeded through the store),
/// a word of one message finds it; its snippet shows the matched word marked and the message's markup as text; a click
/// opens its conversation scrolled to that message (80 messages back, behind the newest page) and highlights it.</summary>
public sealed class SearchBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const int Conversations = 100;
    private const int MessagesEach = 100;

    [Fact]
    public async Task A_word_of_one_message_among_ten_thousand_finds_it_and_opens_it_in_its_conversation()
    {
        await using var server = await ChatServer.StartAsync();
        var store = server.App.Services.GetRequiredService<IChatStore>();
        var inbox = (await store.ReadAsync(r => r.FindInboxByIdentifierAsync(server.InboxIdentifier)))!;
        const int targetConversation = 37, targetPosition = 20;
        var target = 0L;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Conversations * MessagesEach * 1000L;
        for (var n = 0; n < Conversations; n++)
        {
            var conversationNumber = n;
            var ids = await store.WriteAsync(async w =>
            {
                var key = Guid.NewGuid().ToString("N");
                var contactId = await w.InsertContactAsync(new ContactRow
                {
                    InboxId = inbox.Id, SourceId = key, PubsubToken = "pst-" + key, PubsubTokenHash = "psth-" + key,
                    Name = $"Customer {conversationNumber}", CreatedAt = now,
                });
                var c = new ConversationRow
                {
                    Uuid = Guid.NewGuid().ToString(), InboxId = inbox.Id, ContactId = contactId, Status = ConversationStatuses.Open,
                    CreatedAt = now, LastActivityAt = now,
                };
                c.Id = await w.InsertConversationAsync(c);
                var messageIds = new List<long>(MessagesEach);
                for (var i = 0; i < MessagesEach; i++)
                {
                    var at = now + (conversationNumber * MessagesEach + i) * 1000L;
                    c.LastActivityAt = at;
                    var content = conversationNumber == targetConversation && i == targetPosition
                        ? "About <b>order</b> 5150: the xylophonic courier left it at the door"
                        : $"Message {i} of conversation {conversationNumber}: where is my order {conversationNumber * 1000 + i}?";
                    messageIds.Add(await w.AppendMessageAsync(c, new MessageRow
                    {
                        ConversationId = c.Id, MessageType = MessageTypes.Incoming, Content = content, SenderType = SenderTypes.Contact,
                        SenderId = contactId, CreatedAt = at, UpdatedAt = at,
                    }, visibleToContact: true));
                }
                return messageIds;
            });
            if (n == targetConversation) target = ids[targetPosition];
        }

        var page = await NewPageAsync("agent", 1360, 860);
        var console = await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await Expect(console.Conversations.First).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations and messages" }).FillAsync("xylophon");
        var hit = page.Locator($".search-hit[data-message-id='{target}']");
        await Expect(hit).ToBeVisibleAsync();
        await Expect(page.Locator(".search-hit[data-message-id]")).ToHaveCountAsync(1);
        await Expect(hit.Locator("mark")).ToHaveTextAsync("xylophonic");
        await Expect(hit.Locator(".search-snippet")).ToContainTextAsync("About <b>order</b> 5150"); // markup shown as text
        Assert.Equal(0, await hit.Locator(".search-snippet b").CountAsync());
        await Expect(hit.Locator(".search-name")).ToHaveTextAsync($"Customer {targetConversation}");
        await Expect(console.Conversations.First).ToBeHiddenAsync(); // the results take the list's place
        await ScreenshotAsync(page, "console-search-results");

        await hit.ClickAsync();
        var found = page.Locator($"#main [data-message-id='{target}']");
        await Expect(found).ToHaveClassAsync(new Regex(@"\bsearch-target\b"));
        await Expect(found).ToBeInViewportAsync();
        await Expect(found).ToContainTextAsync("xylophonic courier");
        await Expect(console.ThreadName).ToHaveTextAsync($"Customer {targetConversation}");
        // No gap: the history from the message found to the newest is all there.
        var shownFromTarget = await page.Locator("#main .msg[data-message-id]").EvaluateAllAsync<int>(
            $"rows => rows.filter(r => Number(r.dataset.messageId) >= {target}).length");
        Assert.Equal(MessagesEach - targetPosition, shownFromTarget);
        await ScreenshotAsync(page, "console-search-opened");

        // Escape clears the search: the list is back.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations and messages" }).PressAsync("Escape");
        await Expect(console.Conversations.First).ToBeVisibleAsync();
    }
}
