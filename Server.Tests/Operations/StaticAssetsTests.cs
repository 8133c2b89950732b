using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Operations;

/// <summary>The front ends' files over real Kestrel: compressed (Brotli, gzip) to the same bytes, the bundles as the
/// build compressed them, never the APIs;
/// pages no-cache and naming their scripts and styles by version, a versioned file immutable for a year, the
/// unversioned /widget.js that sites embed cached five minutes and revalidated by ETag.</summary>
public sealed class StaticAssetsTests(ITestOutputHelper output)
{
    private static HttpClient Raw(ChatServer server) =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.BaseUrl };

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string? encoding = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (encoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await http.SendAsync(request);
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using Stream inflating = encoding == "br"
            ? new BrotliStream(new MemoryStream(body), CompressionMode.Decompress)
            : new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        inflating.CopyTo(plain);
        return plain.ToArray();
    }

    [Theory]
    [InlineData("/widget.js", "br, gzip", "br")]
    [InlineData("/widget.js", "gzip", "gzip")]
    [InlineData("/agent/agent.js", "gzip, deflate, br", "br")]
    [InlineData("/agent/agent.css", "gzip", "gzip")]
    public async Task Scripts_and_styles_are_compressed_to_the_same_bytes(string path, string accepted, string expected)
    {
        await using var server = await ChatServer.StartAsync();
        using var http = Raw(server);
        using var plain = await GetAsync(http, path);
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        using var compressed = await GetAsync(http, path, accepted);
        var body = await compressed.Content.ReadAsByteArrayAsync();
        Assert.Equal([expected], compressed.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        Assert.Equal(bytes, Decompress(body, expected));
        output.WriteLine($"{path}: {bytes.Length} bytes, {body.Length} as {expected} ({100.0 * body.Length / bytes.Length:F0}%)");
        Assert.True(body.Length < bytes.Length / 2, $"{body.Length} of {bytes.Length}");
    }

    [Theory]
    [InlineData("/widget.js", "br", ".br")]
    [InlineData("/widget.js", "gzip", ".gz")]
    [InlineData("/agent/agent.js", "br", ".br")]
    public async Task The_bundles_are_sent_as_compressed_by_the_build_with_their_own_ETag(string path, string encoding, string suffix)
    {
        await using var server = await ChatServer.StartAsync();
        using var http = Raw(server);
        var twin = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot" + path + suffix));
        using var plain = await GetAsync(http, path);
        using var compressed = await GetAsync(http, path, encoding);

        Assert.Equal(twin, await compressed.Content.ReadAsByteArrayAsync()); // the build's file, as it is
        Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
        Assert.Equal("text/javascript", compressed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(twin.Length, compressed.Content.Headers.ContentLength);
        Assert.NotEqual(plain.Headers.ETag, compressed.Headers.ETag); // another representation, another tag
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), Decompress(twin, encoding));
        // Refused encodings (q=0) are not sent.
        using var refused = await GetAsync(http, path, $"{encoding};q=0");
        Assert.Empty(refused.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task The_embedded_widget_js_is_cached_five_minutes_and_revalidated_by_its_ETag()
    {
        await using var server = await ChatServer.StartAsync();
        using var http = Raw(server);
        using var first = await GetAsync(http, "/widget.js", "br");
        Assert.Equal("public, max-age=300", first.Headers.CacheControl?.ToString());
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        var etag = first.Headers.ETag?.ToString();
        Assert.NotNull(etag);

        using var again = await GetAsync(http, "/widget.js", "br", ifNoneMatch: etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/agent/", "agent.js", "/agent/agent.js")]
    [InlineData("/agent/", "agent.css", "/agent/agent.css")]
    [InlineData("/agent/", "/lib/signalr/signalr.min.js", "/lib/signalr/signalr.min.js")]
    [InlineData("/", "/widget.js", "/widget.js")]
    public async Task Pages_are_no_cache_and_name_each_file_by_its_version_which_is_immutable(string page, string reference, string file)
    {
        await using var server = await ChatServer.StartAsync();
        using var http = Raw(server);
        using var answer = await GetAsync(http, page, "br");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-cache", answer.Headers.CacheControl?.ToString());
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], answer.Content.Headers.ContentEncoding);
        var html = System.Text.Encoding.UTF8.GetString(Decompress(await answer.Content.ReadAsByteArrayAsync(), "br"));
        var named = Regex.Match(html, $"""(?:src|href)\s*=\s*"{Regex.Escape(reference)}\?v=([0-9a-f]+)" """.TrimEnd());
        Assert.True(named.Success, $"{page} does not name {reference} by version:\n{html}");

        // The version is the file's content hash: a release with other bytes gets another name.
        using var raw = await GetAsync(http, file);
        var version = named.Groups[1].Value;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await raw.Content.ReadAsByteArrayAsync()))[..16], version);
        using var versioned = await GetAsync(http, $"{file}?v={version}", "br");
        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl?.ToString());
        // An old page's version is answered with today's file, which must not be kept a year under the old name.
        using var stale = await GetAsync(http, $"{file}?v=0123456789abcdef");
        Assert.Equal("public, max-age=300", stale.Headers.CacheControl?.ToString());

        // The page revalidates to a 304 while nothing changed.
        using var again = await GetAsync(http, page, "br", ifNoneMatch: answer.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task API_answers_are_never_compressed_and_stay_no_store()
    {
        await using var server = await ChatServer.StartAsync();
        using var http = Raw(server);
        http.DefaultRequestHeaders.Add("api_access_token", server.AgentToken);
        foreach (var path in new[] { "/api/v1/profile", $"{server.ClientApi}" })
        {
            using var answer = await GetAsync(http, path, "br, gzip");
            Assert.Empty(answer.Content.Headers.ContentEncoding);
            Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        }
        // The same server compresses what may be: the barrier that shows the check above could fail.
        using var page = await GetAsync(http, "/agent/", "br, gzip");
        Assert.Equal(["br"], page.Content.Headers.ContentEncoding);
    }
}
