using ChatHub.Contracts;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Attachments;

/// <summary>What bounds stored files, in-process: Limits:MaxAttachmentBytes per file (413, before any transaction), a
/// rate of uploads per sender (files sent with a message count), and hourly byte budgets per contact and per inbox
/// (429 with when to retry; agents' files not counted), each refusal storing nothing.</summary>
public sealed class UploadLimitTests
{
    private static NewFile File(int bytes) => new("f.bin", bytes, new MemoryStream(TestFiles.RandomBytes(bytes)));

    private static Task<long> StoredBy(UseCaseHost host, Caller contact) =>
        host.Store.ReadAsync(async r => (await r.UploadedBySenderSinceAsync(SenderTypes.Contact, contact.Id, 0)).Bytes);

    [Fact]
    public async Task A_file_over_MaxAttachmentBytes_is_too_large_by_upload_or_with_a_message_and_nothing_is_stored()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxAttachmentBytes"] = "2000" });
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        var refused = await Refusal.Of(ErrorCodes.TooLarge, () => host.Send(ann, new UploadAttachment(new NewFile("big.png", 2001, new MemoryStream(TestFiles.Png(2001))))));
        Assert.Contains("big.png is larger than the limit of 2000 bytes", refused.Detail);
        await Refusal.Of(ErrorCodes.TooLarge, () => host.Send(ann, new SendMessage(conversation.Id, "big", null, null, null, false, Files: [File(2001)])));
        Assert.Null(await host.Store.ReadAsync(r => r.GetAttachmentAsync(1)));
        Assert.Single(await host.MessagesAsync(ann, conversation.Id));

        var fits = await host.Send(ann, new UploadAttachment(File(2000)));
        Assert.Equal(1, fits.Id); // the first file stored after the refusals is the first file ever stored
    }

    [Fact]
    public async Task Uploads_have_a_rate_per_sender_and_files_sent_with_a_message_count_in_it()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true", ["Limits:UploadsPerMinute"] = "2",
        });
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        await host.Send(ann, new UploadAttachment(File(10)));
        await host.Send(ann, new SendMessage(conversation.Id, null, null, null, null, false, Files: [File(10)]));

        var limited = await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(ann, new UploadAttachment(File(10))));
        Assert.NotNull(limited.RetryAfter);
        Assert.Contains("uploads", limited.Detail);
        // Another sender has a budget of its own.
        await host.Send(host.Admin, new UploadAttachment(File(10)));
    }

    [Fact]
    public async Task Past_a_contacts_or_an_inboxs_hourly_byte_budget_a_file_is_refused_with_when_to_retry_and_nothing_is_stored()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:MaxAttachmentBytes"] = "100000",
            ["Limits:UploadBytesPerContactPerHour"] = "250000",
            ["Limits:UploadBytesPerInboxPerHour"] = "400000",
        });
        var ann = await host.ContactAsync("Ann");
        var bob = await host.ContactAsync("Bob");
        var anns = await host.ConversationAsync(ann, "hi");
        await host.Send(ann, new UploadAttachment(File(100_000)));
        await host.Send(ann, new SendMessage(anns.Id, "a file", null, null, null, false, Files: [File(100_000)]));
        Assert.Equal(200_000, await StoredBy(host, ann));

        // Ann's third 100 KB would make 300 KB of her 250 KB: refused, by upload or with a message, and nothing stored.
        var third = await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(ann, new UploadAttachment(File(100_000))));
        Assert.Contains("your uploads", third.Detail);
        Assert.InRange(third.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(ann, new SendMessage(anns.Id, "one more", null, null, null, false, Files: [File(100_000)])));
        Assert.Equal(200_000, await StoredBy(host, ann));
        Assert.Equal(2, (await host.MessagesAsync(ann, anns.Id)).Count);
        // What still fits goes in; then the budget is spent, and a request that must carry files is refused before its body.
        await host.Send(ann, new UploadAttachment(File(50_000)));
        await Refusal.Of(ErrorCodes.RateLimited, () => host.Ask(ann, new CheckUpload(null, 100_000, 1)));
        await host.Ask(ann, new CheckUpload(anns.Id, 1000, AttachmentFiles.MaxPerMessage)); // a small body may be a message without files

        // Bob has a budget of his own, but shares the inbox's: 250 KB of Ann's and 100 KB of his leave 50 KB.
        await host.Send(bob, new UploadAttachment(File(100_000)));
        var overInbox = await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(bob, new UploadAttachment(File(100_000))));
        Assert.Contains("inbox", overInbox.Detail);
        Assert.NotNull(overInbox.RetryAfter);
        Assert.Equal(100_000, await StoredBy(host, bob));
        Assert.Equal(350_000, await host.Store.ReadAsync(async r => (await r.UploadedInInboxSinceAsync(UseCaseHost.InboxId, 0)).Bytes));

        // Agents' uploads are not counted against the inbox, nor against a budget of their own.
        await host.Send(host.Admin, new UploadAttachment(File(100_000)));
        await host.Send(host.Admin, new UploadAttachment(File(100_000)));
        await host.Send(host.Admin, new UploadAttachment(File(100_000)));
    }

    [Fact]
    public async Task With_rate_limits_off_no_byte_budget_applies()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:RateLimitsEnabled"] = "false", ["Limits:MaxAttachmentBytes"] = "1000", ["Limits:UploadBytesPerContactPerHour"] = "1000",
        });
        var ann = await host.ContactAsync();
        for (var i = 0; i < 3; i++) await host.Send(ann, new UploadAttachment(File(1000)));
        Assert.Equal(3000, await StoredBy(host, ann));
    }
}
