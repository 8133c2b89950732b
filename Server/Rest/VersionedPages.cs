using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ChatHub.Server.Rest;

/// <summary>Answers the front ends' pages (wwwroot/**/index.html and other .html files) with every local script and
/// style they name given its version: <c>src="agent.js"</c> becomes <c>src="agent.js?v=3f2a…"</c>
/// (<see cref="AssetVersions"/>), so those files can be cached for a year and a new release is still loaded at once.
/// Pages are <c>no-cache</c> with an ETag (a 304 when unchanged). The pages in the repository stay plain HTML.</summary>
public sealed partial class VersionedPages(RequestDelegate next, IWebHostEnvironment environment, AssetVersions versions)
{
    private readonly ConcurrentDictionary<string, Source> _pages = new(StringComparer.Ordinal);

    private sealed record Source(long Length, DateTimeOffset Modified, string Html);

    private sealed record Page(byte[] Body, string Hash);

    /// <summary>src="..." or href="..." (also <c>tag.src = "..."</c> in an inline script) naming a .js or .css file
    /// without a query, a fragment or a scheme.</summary>
    [GeneratedRegex("""(?<lead>\b(?:src|href)\s*=\s*")(?<ref>(?!//)[^"?#:]+\.(?:js|css))(?=")""")]
    private static partial Regex AssetReference();

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return next(http);
        var path = request.Path.Value ?? "";
        if (path.EndsWith('/')) path += "index.html";
        if (!path.EndsWith(".html", StringComparison.OrdinalIgnoreCase)) return next(http);
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory) return next(http);
        return AnswerAsync(http, PageOf(path, file));
    }

    private Page PageOf(string path, IFileInfo file)
    {
        // The page's text is read once per change; its versions are looked up every time (a bundle rebuilt under an
        // unchanged page gets its new version at once).
        if (!_pages.TryGetValue(path, out var source) || source.Length != file.Length || source.Modified != file.LastModified)
        {
            using var reader = new StreamReader(file.CreateReadStream(), Encoding.UTF8);
            source = new Source(file.Length, file.LastModified, reader.ReadToEnd());
            _pages[path] = source;
        }
        var folder = path[..(path.LastIndexOf('/') + 1)];
        var body = Encoding.UTF8.GetBytes(AssetReference().Replace(source.Html, m =>
        {
            var reference = m.Groups["ref"].Value;
            var version = versions.VersionOf(reference.StartsWith('/') ? reference : folder + reference);
            return version is null ? m.Value : $"{m.Groups["lead"].Value}{reference}?{StaticAssets.VersionParameter}={version}";
        }));
        // The page's ETag changes with its own text and with every version it names.
        return new Page(body, Convert.ToHexStringLower(SHA256.HashData(body))[..16]);
    }

    private static async Task AnswerAsync(HttpContext http, Page page)
    {
        var response = http.Response;
        var etag = StaticAssets.ETagOf(page.Hash);
        response.Headers.CacheControl = StaticAssets.Revalidate;
        response.Headers.ETag = etag.ToString();
        StaticAssets.VaryByEncoding(response);
        var asked = http.Request.GetTypedHeaders().IfNoneMatch;
        if (asked.Any(t => t.Tag == etag.Tag || t.Equals(EntityTagHeaderValue.Any)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = page.Body.Length;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await response.Body.WriteAsync(page.Body, http.RequestAborted);
    }
}
