using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace ChatHub.Server.Rest;

/// <summary>How the front ends' files (wwwroot/) are served: compressed, and cached as long as they can be.
/// <list type="bullet">
/// <item>Brotli, else gzip, for scripts, styles, pages and SVG. The two bundles are compressed ahead by the build
/// (<c>widget.js.br</c>, <c>.gz</c>: best Brotli, ~157 KB -> ~54 KB) and sent as they are; the rest on the fly. Never for
/// the APIs, the hub, /cable or attachments: their answers carry tokens and text a caller chose (BREACH), or are files.</item>
/// <item>Each page (<c>index.html</c>) names its scripts and styles with their version, <c>agent.js?v=&lt;hash of the
/// file&gt;</c> (<see cref="VersionedPages"/>); a file asked for with its current version is cached for a year
/// (<c>immutable</c>). Pages themselves are <c>no-cache</c> (revalidated by ETag), so a new release shows at once.</item>
/// <item>Files asked for without a version (the <c>/widget.js</c> that site owners embed, <c>/lib/signalr/...</c>) are
/// cached for five minutes, then revalidated by ETag / Last-Modified (a 304 when unchanged).</item>
/// </list></summary>
public static class StaticAssets
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string ShortLived = "public, max-age=300";
    public const string Revalidate = "no-cache";
    public const string VersionParameter = "v";

    private static readonly string[] CompressedTypes =
        ["text/javascript", "application/javascript", "text/css", "text/html", "image/svg+xml", "application/json"];

    public static IServiceCollection AddStaticAssets(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true; // only for the paths below, whose answers hold no secret
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = CompressedTypes;
        });
        // Brotli's "optimal" (quality 4 here) is fast enough per answer; versioned files are fetched once a release.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.AddSingleton<AssetVersions>();
        return services;
    }

    /// <summary>In place of UseDefaultFiles + UseStaticFiles: compression, the versioned pages, then the files.</summary>
    public static void UseStaticAssets(this WebApplication app)
    {
        app.UseWhen(http => Compressible(http.Request.Path), branch => branch.UseResponseCompression());
        app.UseMiddleware<VersionedPages>();
        var files = app.Environment.WebRootFileProvider;
        app.Use((http, next) =>
        {
            PreferPrecompressed(http, files);
            return next(http);
        });
        app.UseDefaultFiles();
        var versions = app.Services.GetRequiredService<AssetVersions>();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new PrecompressedContentTypes(),
            OnPrepareResponse = file =>
            {
                var (request, response) = (file.Context.Request, file.Context.Response);
                if (TwinOf(request.Path.Value ?? "") is { } twin) response.Headers.ContentEncoding = twin.Encoding;
                // The widget's emoji picker reads its data from customers' sites: public files, no credentials.
                if (request.Path.StartsWithSegments("/lib/emoji"))
                    (response.Headers.AccessControlAllowOrigin, response.Headers.AccessControlExposeHeaders) = ("*", "ETag");
                response.Headers.CacheControl = CacheControlOf(file.Context.Items[AskedPathKey] as string ?? request.Path.Value ?? "", request, versions);
                VaryByEncoding(response);
            },
        });
    }

    /// <summary>The files compressed ahead, by preference: a file "x.js" may have "x.js.br" and "x.js.gz" beside it.</summary>
    private static readonly (string Encoding, string Suffix)[] Precompressed = [("br", ".br"), ("gzip", ".gz")];

    private const string AskedPathKey = "chathub.static.asked-path";

    /// <summary>Whether <paramref name="path"/> is a compressed twin of a script or style ("x.js.br"), and of which encoding.</summary>
    private static (string Encoding, string Suffix)? TwinOf(string path)
    {
        foreach (var twin in Precompressed)
            if (path.EndsWith(".js" + twin.Suffix, StringComparison.Ordinal) || path.EndsWith(".css" + twin.Suffix, StringComparison.Ordinal))
                return twin;
        return null;
    }

    /// <summary>A GET for a script or style whose compressed twin exists, from a browser that takes that encoding,
    /// is answered with the twin (StaticFiles then serves it, with its own ETag, and marks its encoding).</summary>
    private static void PreferPrecompressed(HttpContext http, Microsoft.Extensions.FileProviders.IFileProvider files)
    {
        var request = http.Request;
        var path = request.Path.Value;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return;
        if (path is null || !(path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".css", StringComparison.Ordinal))) return;
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        foreach (var (encoding, suffix) in Precompressed)
        {
            if (!accepted.Any(a => string.Equals(a.Value.Value, encoding, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0)) continue;
            if (!files.GetFileInfo(path + suffix).Exists) continue;
            http.Items[AskedPathKey] = path;
            request.Path = path + suffix;
            return;
        }
    }

    /// <summary>JavaScript as text/javascript (RFC 9239), as browsers expect it; a compressed twin ("x.js.br") as
    /// what it holds.</summary>
    private sealed class PrecompressedContentTypes : IContentTypeProvider
    {
        private readonly FileExtensionContentTypeProvider _types = new()
        {
            Mappings = { [".js"] = "text/javascript", [".mjs"] = "text/javascript" },
        };

        public bool TryGetContentType(string subpath, out string contentType) =>
            _types.TryGetContentType(TwinOf(subpath) is { } twin ? subpath[..^twin.Suffix.Length] : subpath, out contentType!);
    }

    /// <param name="path">The file asked for (not its compressed twin: the version is the plain file's).</param>
    private static string CacheControlOf(string path, HttpRequest request, AssetVersions versions)
    {
        if (path.EndsWith(".html", StringComparison.OrdinalIgnoreCase)) return Revalidate;
        var asked = request.Query[VersionParameter];
        // Only the current version is immutable: a page of an older release asking with its old version gets today's
        // file, which must not be kept a year under that name.
        return asked.Count == 1 && asked[0] == versions.VersionOf(path) ? Immutable : ShortLived;
    }

    private static bool Compressible(PathString path) =>
        !path.StartsWithSegments("/api") && !path.StartsWithSegments("/public/api") && !path.StartsWithSegments("/hubs")
        && !path.StartsWithSegments("/cable") && !path.StartsWithSegments("/attachments");

    /// <summary>Says that the answer depends on Accept-Encoding also when it is sent uncompressed (the compression
    /// adds it only to what it compresses), so no shared cache hands one client's encoding to another.</summary>
    internal static void VaryByEncoding(HttpResponse response)
    {
        if (!response.Headers.Vary.Any(v => v?.Contains(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase) == true))
            response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
    }

    /// <summary>A page's ETag when it is answered by <see cref="VersionedPages"/>.</summary>
    internal static EntityTagHeaderValue ETagOf(string hash) => new($"\"{hash}\"");
}
