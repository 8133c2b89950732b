using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Attachments;

/// <summary>The attachment use cases, in-process: an upload is a pending file of its uploader, typed by its bytes and
/// named safely; a message claims the caller's own pending uploads, each once, at most 5, or stores new files (REST
/// multipart) in its one transaction; a download token finds a file, an expired pending upload is gone; who may send
/// files is checked before a request's body (CheckUpload). Sizes, rates and byte budgets are in
/// <see cref="UploadLimitTests"/>; the HTTP side (multipart, ranges, headers) end to end.</summary>
public sealed class AttachmentTests
{
    private static NewFile File(string name, byte[] bytes) => new(name, bytes.Length, new MemoryStream(bytes));

    private static Task<AttachmentDto> UploadAsync(UseCaseHost host, Caller caller, string name, byte[] bytes) =>
        host.Send(caller, new UploadAttachment(File(name, bytes)));

    [Fact]
    public async Task An_upload_is_a_pending_file_of_its_uploader_typed_by_its_bytes_at_an_unguessable_url()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var png = TestFiles.Png();

        var image = await UploadAsync(host, ann, "screen shot.png", png);
        Assert.Equal((null, AttachmentFileTypes.Image, "png", (long)png.Length, "screen shot.png"),
            (image.MessageId, image.FileType, image.Extension, image.FileSize, image.FileName));
        Assert.Matches("^/attachments/[0-9a-f]{32}/screen%20shot\\.png$", image.DataUrl);
        Assert.Equal(image.DataUrl, image.ThumbUrl);
        var row = await host.Store.ReadAsync(r => r.GetAttachmentAsync(image.Id));
        Assert.Equal((SenderTypes.Contact, ann.Id, (long?)UseCaseHost.InboxId, "image/png"), (row!.UploaderType, row.UploaderId, row.InboxId, row.ContentType));

        var pdf = await UploadAsync(host, host.Admin, "b.pdf", TestFiles.Pdf());
        Assert.Equal((AttachmentFileTypes.File, "pdf", ""), (pdf.FileType, pdf.Extension, pdf.ThumbUrl));
        Assert.Null((await host.Store.ReadAsync(r => r.GetAttachmentAsync(pdf.Id)))!.InboxId); // agents' uploads count for no inbox
        Assert.NotEqual(image.Id, pdf.Id);
        Assert.IsType<Application.Events.ContactCreated>(Assert.Single(host.Events)); // nothing is published for a pending upload
    }

    [Theory]
    [InlineData("page.html")]
    [InlineData("logo.svg")]
    [InlineData("notes.txt")]
    public async Task Files_outside_the_safe_list_are_files_to_download_whatever_their_name(string name)
    {
        await using var host = await UseCaseHost.StartAsync();
        var bytes = name.EndsWith(".svg") ? TestFiles.Svg() : TestFiles.Html();
        var upload = await UploadAsync(host, await host.ContactAsync(), name, bytes);
        Assert.Equal((AttachmentFileTypes.File, ""), (upload.FileType, upload.ThumbUrl));
        var download = await host.Ask(Caller.Anonymous, new GetAttachmentFile(upload.DataUrl.Split('/')[2]));
        Assert.Equal((FileKinds.Download, false, true), (download.Kind.ContentType, download.Kind.Inline, download.Kind.Sandboxed));
    }

    [Fact]
    public async Task A_name_loses_its_path_controls_and_bidirectional_overrides()
    {
        await using var host = await UseCaseHost.StartAsync();
        // Shown as "ahtml.png" by a bidi-aware renderer: an HTML file posing as an image.
        var upload = await UploadAsync(host, await host.ContactAsync(), "a\u202Egnp.html", TestFiles.Html());
        Assert.Equal(("agnp.html", "html"), (upload.FileName, upload.Extension));
        Assert.EndsWith("/agnp.html", upload.DataUrl);
        Assert.Equal("passwd", (await UploadAsync(host, host.Admin, "../../etc/passwd", TestFiles.Html())).FileName);
        Assert.Equal("file", (await UploadAsync(host, host.Admin, "..", TestFiles.Html())).FileName);
    }

    [Fact]
    public async Task An_upload_needs_a_non_empty_file_and_an_uploader()
    {
        await using var host = await UseCaseHost.StartAsync();
        await Refusal.Invalid("file", async () => await host.Send(await host.ContactAsync(), new UploadAttachment(null)));
        await Refusal.Invalid("file", () => host.Send(host.Admin, new UploadAttachment(File("empty.png", []))));
        await Refusal.Forbidden(() => host.Send(Caller.Anonymous, new UploadAttachment(File("a.png", TestFiles.Png(10)))));
        await Refusal.Forbidden(() => host.Send(Caller.Operator, new UploadAttachment(File("a.png", TestFiles.Png(10)))));
        Assert.Null(await host.Store.ReadAsync(r => r.GetAttachmentAsync(1)));
    }

    [Fact]
    public async Task A_message_claims_the_callers_pending_uploads_and_carries_them_in_answers_events_and_history()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        var upload = await UploadAsync(host, ann, "cat.png", TestFiles.Png());

        var sent = await host.Send(ann, new SendMessage(conversation.Id, null, "with-file", null, null, false, AttachmentIds: [upload.Id]));
        var attachment = Assert.Single(sent.Attachments);
        Assert.Equal((upload.Id, (long?)sent.Id, AttachmentFileTypes.Image, upload.DataUrl), (attachment.Id, attachment.MessageId, attachment.FileType, attachment.DataUrl));
        Assert.Equal("", sent.Content);
        Assert.Equal(upload.Id, Assert.Single(host.Events.OfType<MessageCreated>().Last().Message.Attachments).Id);

        // A retry of the same echo_id answers the original, with its attachment.
        var retried = await host.Send(ann, new SendMessage(conversation.Id, null, "with-file", null, null, false, AttachmentIds: [upload.Id]));
        Assert.Equal((sent.Id, attachment), (retried.Id, Assert.Single(retried.Attachments)));
        var history = await host.MessagesAsync(host.Admin, conversation.Id);
        Assert.Equal(attachment, Assert.Single(history.Single(m => m.Id == sent.Id).Attachments));
        Assert.Empty(history.First().Attachments);
    }

    [Fact]
    public async Task An_upload_is_sent_once_and_only_by_its_uploader()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var bob = await host.ContactAsync("Bob");
        var conversation = await host.ConversationAsync(ann, "hello");
        var anns = await UploadAsync(host, ann, "a.png", TestFiles.Png());
        var agents = await UploadAsync(host, host.Admin, "b.pdf", TestFiles.Pdf());
        var bobs = await UploadAsync(host, bob, "c.png", TestFiles.Png());
        SendMessage With(long id, string? content = null) => new(conversation.Id, content, null, null, null, false, AttachmentIds: [id]);

        await host.Send(ann, With(anns.Id));
        foreach (var id in new[] { anns.Id, agents.Id, bobs.Id, bobs.Id + 100 })
        {
            var refused = await Refusal.Invalid("attachment_ids", () => host.Send(ann, With(id, "x")));
            Assert.Contains($"attachment {id} is not a pending upload of yours", refused.Detail);
        }

        // The agent's own upload goes out with the agent's message, to the customer.
        var reply = await host.Send(host.Admin, With(agents.Id, "your invoice"));
        var pdf = Assert.Single((await host.MessagesAsync(ann, conversation.Id)).Single(m => m.Id == reply.Id).Attachments);
        Assert.Equal((AttachmentFileTypes.File, "pdf", "b.pdf"), (pdf.FileType, pdf.Extension, pdf.FileName));
        Assert.Equal(3, (await host.MessagesAsync(ann, conversation.Id)).Count); // no refused send stored anything
    }

    [Fact]
    public async Task A_message_without_content_needs_a_file_and_takes_at_most_five_distinct_ones()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        var ids = new List<long>();
        for (var i = 0; i < 6; i++) ids.Add((await UploadAsync(host, ann, $"{i}.png", TestFiles.Png(10))).Id);

        await Refusal.Invalid("content", () => host.Send(ann, new SendMessage(conversation.Id, null, null, null, null, false, AttachmentIds: [])));
        await Refusal.Invalid("attachments", () => host.Send(ann, new SendMessage(conversation.Id, null, null, null, null, false, AttachmentIds: ids)));
        await Refusal.Invalid("attachment_ids", () => host.Send(ann, new SendMessage(conversation.Id, "x", null, null, null, false, AttachmentIds: [ids[0], ids[0]])));
        await Refusal.Invalid("attachments", () => host.Send(ann, new SendMessage(conversation.Id, null, null, null, null, false,
            AttachmentIds: ids[..3], Files: [File("a.png", TestFiles.Png(10)), File("b.png", TestFiles.Png(10)), File("c.png", TestFiles.Png(10))])));

        var five = await host.Send(ann, new SendMessage(conversation.Id, null, null, null, null, false, AttachmentIds: ids[..5]));
        Assert.Equal(ids[..5], five.Attachments.Select(a => a.Id));
    }

    [Fact]
    public async Task New_files_are_stored_with_their_message_in_its_one_transaction()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");

        var sent = await host.Send(host.Admin, new SendMessage(conversation.Id, "two files", null, null, null, false,
            Files: [File("a.pdf", TestFiles.Pdf()), File("b.png", TestFiles.Png())]));
        Assert.Equal([(AttachmentFileTypes.File, "a.pdf"), (AttachmentFileTypes.Image, "b.png")], sent.Attachments.Select(a => (a.FileType, a.FileName)));
        Assert.All(sent.Attachments, a => Assert.Equal(sent.Id, a.MessageId));

        // A message refused after its files were read stores none of them: the first file ever stored is the next one.
        await Refusal.Forbidden(() => host.Send(ann, new SendMessage(conversation.Id, "psst", null, null, null, true, Files: [File("c.png", TestFiles.Png())])));
        await Refusal.NotFound(() => host.Send(ann, new SendMessage(987_654, "x", null, null, null, false, Files: [File("d.png", TestFiles.Png())])));
        var next = await UploadAsync(host, ann, "e.png", TestFiles.Png(10));
        Assert.Equal(sent.Attachments[1].Id + 1, next.Id);
    }

    [Fact]
    public async Task A_download_token_is_32_hex_characters_of_a_stored_file()
    {
        await using var host = await UseCaseHost.StartAsync();
        var upload = await UploadAsync(host, await host.ContactAsync(), "a.png", TestFiles.Png());
        var token = upload.DataUrl.Split('/')[2];

        var download = await host.Ask(Caller.Anonymous, new GetAttachmentFile(token));
        Assert.Equal((upload.Id, "image/png", true, false), (download.File.Id, download.Kind.ContentType, download.Kind.Inline, download.Kind.Sandboxed));
        var pdf = await host.Ask(Caller.Anonymous, new GetAttachmentFile((await UploadAsync(host, host.Admin, "b.pdf", TestFiles.Pdf())).DataUrl.Split('/')[2]));
        Assert.Equal((FileKinds.Pdf, true, true), (pdf.Kind.ContentType, pdf.Kind.Inline, pdf.Kind.Sandboxed)); // inline, but sandboxed

        foreach (var wrong in new[] { token[..^1] + (token[^1] == '0' ? '1' : '0'), "short", token + "0", token.ToUpperInvariant() == token ? "x" : token.ToUpperInvariant() })
            await Refusal.NotFound(() => host.Ask(Caller.Anonymous, new GetAttachmentFile(wrong)));
    }

    [Fact]
    public async Task A_pending_upload_past_its_ttl_cannot_be_sent_nor_downloaded_and_the_sweep_deletes_it_while_a_sent_one_stays()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:PendingUploadTtl"] = "00:00:01" });
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        var kept = await UploadAsync(host, ann, "kept.png", TestFiles.Png());
        var forgotten = await UploadAsync(host, ann, "forgotten.png", TestFiles.Png());
        await host.Send(ann, new SendMessage(conversation.Id, null, null, null, null, false, AttachmentIds: [kept.Id]));

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // past the TTL
        await Refusal.NotFound(() => host.Ask(Caller.Anonymous, new GetAttachmentFile(forgotten.DataUrl.Split('/')[2])));
        var refused = await Refusal.Invalid("attachment_ids", () => host.Send(ann, new SendMessage(conversation.Id, null, null, null, null, false, AttachmentIds: [forgotten.Id])));
        Assert.Contains("expired", refused.Detail);

        var sweeper = host.Services.GetServices<IHostedService>().OfType<PendingUploadSweeper>().Single();
        Assert.Equal(1, await sweeper.SweepAsync());
        Assert.Null(await host.Store.ReadAsync(r => r.GetAttachmentAsync(forgotten.Id)));
        Assert.Equal(0, await host.Store.ReadAsync(r => r.ReadAttachmentAsync(forgotten.Id, 0, new byte[16])));
        // The file sent with a message, as old, stays.
        Assert.Equal(kept.Id, (await host.Ask(Caller.Anonymous, new GetAttachmentFile(kept.DataUrl.Split('/')[2]))).File.Id);
        Assert.Equal(0, await sweeper.SweepAsync());
    }

    [Fact]
    public void The_sweep_runs_at_a_quarter_of_the_ttl_between_a_second_and_ten_minutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), PendingUploadSweeper.IntervalFor(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromMinutes(5), PendingUploadSweeper.IntervalFor(TimeSpan.FromMinutes(20)));
        Assert.Equal(TimeSpan.FromMinutes(10), PendingUploadSweeper.IntervalFor(TimeSpan.FromHours(24)));
    }

    [Fact]
    public async Task Who_may_send_files_is_answered_before_the_body_by_the_conversation_and_the_declared_length()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var stranger = await host.ContactAsync("Stranger");
        var conversation = await host.ConversationAsync(ann, "hi");
        var strangers = await host.ConversationAsync(stranger, "mine");
        var outsider = await host.AgentAsync("Outsider", inboxId: null);
        var limits = host.Services.GetRequiredService<Common.ChatLimits>();
        var messageBody = CheckUploadHandler.MaxBodyBytes(limits, AttachmentFiles.MaxPerMessage);

        await host.Ask(ann, new CheckUpload(conversation.Id, messageBody, AttachmentFiles.MaxPerMessage));
        await host.Ask(ann, new CheckUpload(null, CheckUploadHandler.MaxBodyBytes(limits, 1), 1));
        await Refusal.NotFound(() => host.Ask(ann, new CheckUpload(strangers.Id, 1000, AttachmentFiles.MaxPerMessage)));
        await Refusal.NotFound(() => host.Ask(ann, new CheckUpload(strangers.Id + 100, 1000, AttachmentFiles.MaxPerMessage)));
        await Refusal.Forbidden(() => host.Ask(outsider, new CheckUpload(conversation.Id, 1000, AttachmentFiles.MaxPerMessage)));
        await Refusal.Forbidden(() => host.Ask(Caller.Anonymous, new CheckUpload(null, 1000, 1)));
        var tooLarge = await Refusal.Of(ErrorCodes.TooLarge, () => host.Ask(ann, new CheckUpload(conversation.Id, messageBody + 1, AttachmentFiles.MaxPerMessage)));
        Assert.Contains("10 MB each, 5 at most per request", tooLarge.Detail);
        await Refusal.Of(ErrorCodes.TooLarge, () => host.Ask(host.Admin, new CheckUpload(null, CheckUploadHandler.MaxBodyBytes(limits, 1) + 1, 1)));
        Assert.Equal(5 * 10L * 1024 * 1024 + 64 * 1024, messageBody);
    }

    [Fact]
    public void File_kinds_come_from_the_first_bytes_and_only_the_safe_list_shows_inline()
    {
        Assert.Equal(("image/png", AttachmentFileTypes.Image), Kind(TestFiles.Png(0)));
        Assert.Equal(("image/jpeg", AttachmentFileTypes.Image), Kind([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Equal(("image/gif", AttachmentFileTypes.Image), Kind("GIF89a.."u8.ToArray()));
        Assert.Equal(("image/webp", AttachmentFileTypes.Image), Kind("RIFF\0\0\0\0WEBPVP8 "u8.ToArray()));
        Assert.Equal(("audio/wav", AttachmentFileTypes.Audio), Kind("RIFF\0\0\0\0WAVEfmt "u8.ToArray()));
        Assert.Equal((FileKinds.Pdf, AttachmentFileTypes.File), Kind(TestFiles.Pdf()));
        Assert.Equal(("audio/ogg", AttachmentFileTypes.Audio), Kind("OggS\0"u8.ToArray()));
        Assert.Equal(("audio/mpeg", AttachmentFileTypes.Audio), Kind("ID3\u0004"u8.ToArray()));
        Assert.Equal(("audio/mp4", AttachmentFileTypes.Audio), Kind("\0\0\0\u0020ftypM4A "u8.ToArray()));
        Assert.Equal(("video/mp4", AttachmentFileTypes.Video), Kind("\0\0\0\u0020ftypisom"u8.ToArray()));
        Assert.Equal(("video/quicktime", AttachmentFileTypes.Video), Kind("\0\0\0\u0020ftypqt  "u8.ToArray()));
        Assert.Equal(("video/webm", AttachmentFileTypes.Video), Kind([0x1A, 0x45, 0xDF, 0xA3]));
        foreach (var other in new[] { TestFiles.Html(), TestFiles.Svg(), "plain text"u8.ToArray(), [] })
            Assert.Equal((FileKinds.Download, AttachmentFileTypes.File), Kind(other));

        static (string, string) Kind(byte[] head) => FileKinds.Of(head.AsSpan(0, Math.Min(head.Length, FileKinds.HeadBytes))) is var k ? (k.ContentType, k.FileType) : default;
    }

    [Theory]
    [InlineData('\u200E')] [InlineData('\u200F')] [InlineData('\u061C')]
    [InlineData('\u202A')] [InlineData('\u202B')] [InlineData('\u202C')] [InlineData('\u202D')] [InlineData('\u202E')]
    [InlineData('\u2066')] [InlineData('\u2067')] [InlineData('\u2068')] [InlineData('\u2069')]
    public void Every_bidirectional_control_is_stripped_from_file_names(char control)
    {
        Assert.Equal("invoice.pdf", FileKinds.SafeName($"{control}in{control}voice{control}.pdf{control}"));
        // Other letters of right-to-left scripts stay: only the controls go.
        Assert.Equal("فاتورة.pdf", FileKinds.SafeName($"فاتورة{control}.pdf"));
    }
}
