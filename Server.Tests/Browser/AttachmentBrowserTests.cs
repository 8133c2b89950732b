using System.Text.Json;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Attachments and the CSAT survey in Chromium: the customer attaches by the paperclip and by drag and drop,
/// the agent sees thumbnails and downloads identical bytes, the agent's PDF reaches the customer, a too-large file is
/// refused with a clear message (gone with the next message), and a resolved conversation's rating shows in the console.</summary>
public sealed class AttachmentBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>The bytes at <paramref name="url"/> as the page's own browser downloads them.</summary>
    private static async Task<byte[]> DownloadInPageAsync(IPage page, string url) => Convert.FromBase64String(await page.EvaluateAsync<string>("""
        async (url) => {
          const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
          let text = "";
          for (const b of bytes) text += String.fromCharCode(b);
          return btoa(text);
        }
        """, url));

    private async Task<(WidgetPage Widget, ConsolePage Console)> StartChatAsync(ChatServer server, string name)
    {
        var widget = await WidgetPage.OpenDemoAsync(await NewPageAsync("customer", 1100, 820), server.BaseUrl, server.InboxIdentifier);
        await widget.OpenAsync();
        await widget.Page.Locator("chathub-widget .prechat input[type=text]").FillAsync(name);
        await widget.SendAndWaitAsync("Hello, a file is coming.");
        var console = await ConsolePage.SignInAsync(await NewPageAsync("agent", 1360, 820), server.BaseUrl, server.AgentToken);
        await console.OpenAsync(name);
        return (widget, console);
    }

    [Fact]
    public async Task The_customer_attaches_images_by_button_and_by_drag_and_drop_and_the_agent_sees_thumbnails_of_identical_bytes()
    {
        await using var server = await ChatServer.StartAsync();
        var (widget, console) = await StartChatAsync(server, "Ivy Images");
        var byButton = TestFiles.Png(2048);
        var dropped = TestFiles.Png(3072);

        await widget.FilePicker.SetInputFilesAsync(new FilePayload { Name = "by-button.png", MimeType = "image/png", Buffer = byButton });
        await Expect(widget.OwnImages).ToHaveCountAsync(1);
        var dataTransfer = await widget.Page.EvaluateHandleAsync("""
            (b64) => {
              const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], "dropped.png", { type: "image/png" }));
              return transfer;
            }
            """, Convert.ToBase64String(dropped));
        await widget.Panel.DispatchEventAsync("dragover", new { dataTransfer });
        await widget.Panel.DispatchEventAsync("drop", new { dataTransfer });
        await Expect(widget.OwnImages).ToHaveCountAsync(2);

        await Expect(console.IncomingImages).ToHaveCountAsync(2);
        await Expect(console.IncomingImages.First).ToHaveAttributeAsync("alt", "by-button.png");
        await Expect(console.IncomingImages.Last).ToHaveAttributeAsync("alt", "dropped.png");
        // The thumbnails are real images the browser decoded.
        Assert.True(await console.IncomingImages.First.EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 1"));
        Assert.Equal(byButton, await DownloadInPageAsync(console.Page, (await console.IncomingImages.First.GetAttributeAsync("src"))!));
        Assert.Equal(dropped, await DownloadInPageAsync(console.Page, (await console.IncomingImages.Last.GetAttributeAsync("src"))!));

        // A click on a thumbnail opens it large in the widget.
        await widget.OwnImages.First.ClickAsync();
        await Expect(widget.Lightbox.Locator("img")).ToBeVisibleAsync();
        await ScreenshotAsync(widget.Page, "attachments-widget");
        await ScreenshotAsync(console.Page, "attachments-console");
        await widget.Lightbox.ClickAsync();
        await Expect(widget.Lightbox).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_agent_attaches_a_pdf_and_the_customer_downloads_it()
    {
        await using var server = await ChatServer.StartAsync();
        var (widget, console) = await StartChatAsync(server, "Pia Pdf");
        var pdf = TestFiles.Pdf();

        await console.FilePicker.SetInputFilesAsync(new FilePayload { Name = "invoice.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Expect(console.Page.Locator(".msg.out .attachment-file")).ToContainTextAsync("invoice.pdf");

        var link = widget.AgentFiles.Filter(new LocatorFilterOptions { HasText = "invoice.pdf" });
        await Expect(link).ToContainTextAsync("B"); // with its size
        var download = await widget.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal("invoice.pdf", download.SuggestedFilename);
        Assert.Equal(pdf, await File.ReadAllBytesAsync((await download.PathAsync())!));

        // A file dropped on the console's conversation goes too.
        var dataTransfer = await console.Page.EvaluateHandleAsync("""
            () => {
              const transfer = new DataTransfer();
              transfer.items.add(new File(["order 1234"], "order.txt", { type: "text/plain" }));
              return transfer;
            }
            """);
        await console.Thread.DispatchEventAsync("drop", new { dataTransfer });
        await Expect(widget.AgentFiles.Filter(new LocatorFilterOptions { HasText = "order.txt" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task An_11_MB_file_gets_a_clear_message_in_the_widget_and_nothing_is_stored()
    {
        await using var server = await ChatServer.StartAsync();
        var (widget, _) = await StartChatAsync(server, "Tom Toolarge");
        var path = TestFiles.Write(TempDirectory.Create().Path, "holiday-video.mp4", TestFiles.RandomBytes(11 * 1024 * 1024));

        await widget.FilePicker.SetInputFilesAsync(path);
        await Expect(widget.UploadError).ToContainTextAsync("“holiday-video.mp4” is too large");
        await Expect(widget.UploadError).ToContainTextAsync("at most 10 MB");
        var store = server.App.Services.GetRequiredService<IChatStore>();
        Assert.Null(await store.ReadAsync(r => r.GetAttachmentAsync(1)));
        await Expect(widget.OwnRows).ToHaveCountAsync(1); // the first message only: the file was never sent

        // The refusal belongs to that file: the customer's next message takes it away.
        await widget.SendAndWaitAsync("Never mind, I will send a link instead.");
        await Expect(widget.UploadError).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Resolving_with_csat_enabled_lets_the_customer_rate_and_the_console_shows_the_rating()
    {
        await using var server = await ChatServer.StartAsync();
        using (var admin = server.AgentHttp(server.AgentToken))
            (await admin.PatchJson("/api/v1/inboxes/1", new { csat_survey_enabled = true })).EnsureSuccessStatusCode();
        var (widget, console) = await StartChatAsync(server, "Rae Rating");

        await console.StatusButton.ClickAsync();
        await Expect(console.ThreadStatus).ToHaveTextAsync("resolved");
        var csat = widget.Page.Locator("chathub-widget .interactive[data-content-type=input_csat]");
        await csat.Locator("button.rating[data-rating='4']").ClickAsync();
        await csat.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Submit rating" }).ClickAsync();
        await Expect(widget.Page.Locator("chathub-widget .interactive .answer")).ToHaveTextAsync("Rated 4/5");

        await Expect(console.ThreadRating).ToHaveTextAsync("Rated 4/5");
        await console.SetFilterAsync("all", "all");
        await Expect(console.Conversation("Rae Rating").Locator(".pill.rating")).ToHaveTextAsync("Rated 4/5");
        await ScreenshotAsync(console.Page, "csat-console");
        // After a reload the rating comes with the conversation.
        await console.Page.ReloadAsync();
        await console.SetFilterAsync("all", "all");
        await Expect(console.Conversation("Rae Rating").Locator(".pill.rating")).ToHaveTextAsync("Rated 4/5");
    }
}
