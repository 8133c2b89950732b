using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>Downloads as the store streams them (issue 20): byte ranges (206 and 416, If-Range on the ETag), names
/// without bidirectional controls in the headers, PDFs sandboxed (the names and kinds themselves: UseCases/Attachments).</summary>
public sealed class AttachmentDownloadTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private async Task<(ChatServer Server, JsonElement Upload)> UploadAsync(string name, byte[] bytes)
    {
        var server = shared.Server;
        var contact = await server.CreateContact("Zoe");
        var upload = await (await server.Http.PostAsync($"{server.ClientApi}/contacts/{contact.SourceId}/uploads",
            TestFiles.Form([], [(name, bytes, "application/octet-stream")], "attachment"))).JsonBody();
        return (server, upload);
    }

    private static async Task<HttpResponseMessage> GetRangeAsync(ChatServer server, string url, string range, string? ifRange = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        if (ifRange is not null) request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        return await server.Http.SendAsync(request);
    }

    [Fact, Trait("Run", "EveryStore")] // the bytes stream out of the store slice by slice: each engine's reads
    public async Task Byte_ranges_answer_206_with_the_asked_bytes_and_an_unsatisfiable_one_416()
    {
        var data = TestFiles.RandomBytes(200_000);
        var (server, upload) = await UploadAsync("data.bin", data);
        var url = upload.GetProperty("data_url").GetString()!;

        var whole = await server.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(data.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        var etag = whole.Headers.ETag!.ToString();

        foreach (var (range, from, to) in new[]
        {
            ("bytes=0-99", 0, 99), // the first bytes
            ("bytes=70000-139999", 70_000, 139_999), // a middle slice, across the store's 64 KiB slices
            ("bytes=-500", 199_500, 199_999), // a suffix
            ("bytes=199990-", 199_990, 199_999), // from an offset to the end
            ("bytes=150000-999999", 150_000, 199_999), // past the end: up to the end
        })
        {
            var part = await GetRangeAsync(server, url, range);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(new ContentRangeHeaderValue(from, to, data.Length), part.Content.Headers.ContentRange);
            Assert.Equal(data[from..(to + 1)], await part.Content.ReadAsByteArrayAsync());
            Assert.Equal("nosniff", part.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("attachment", part.Content.Headers.ContentDisposition!.DispositionType);
        }

        var unsatisfiable = await GetRangeAsync(server, url, "bytes=200000-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal("bytes */200000", unsatisfiable.Content.Headers.GetValues("Content-Range").Single());
        Assert.Empty(await unsatisfiable.Content.ReadAsByteArrayAsync());

        // A resumed download: the range if the file is still the one of that ETag, else the whole file.
        var resumed = await GetRangeAsync(server, url, "bytes=100000-", ifRange: etag);
        Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
        Assert.Equal(data[100_000..], await resumed.Content.ReadAsByteArrayAsync());
        var changed = await GetRangeAsync(server, url, "bytes=100000-", ifRange: "\"another\"");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(data, await changed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_pdf_is_shown_inline_but_sandboxed()
    {
        var (server, upload) = await UploadAsync("invoice.pdf", TestFiles.Pdf());
        var download = await server.Http.GetAsync(upload.GetProperty("data_url").GetString());
        Assert.Equal(TestFiles.Pdf(), await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_name_with_a_right_to_left_override_is_stored_and_served_without_it()
    {
        // Shown as "ahtml.png" by a bidi-aware renderer: an HTML file posing as an image.
        var (server, upload) = await UploadAsync("a\u202Egnp.html", TestFiles.Html());
        Assert.Equal("agnp.html", upload.GetProperty("file_name").GetString());
        Assert.Equal("html", upload.GetProperty("extension").GetString());
        var url = upload.GetProperty("data_url").GetString()!;
        Assert.EndsWith("/agnp.html", url);

        var download = await server.Http.GetAsync(url);
        Assert.Equal("agnp.html", download.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition.DispositionType);
        Assert.Equal("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
    }
}
