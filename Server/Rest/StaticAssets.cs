using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace ChatHub.Server.Rest;

/// <summary>How the front ends' files (wwwroot/) are served: compressed, and cached as long as they can be.
/// <list type="bullet">
/// <item>Brotli, else gzip, for scripts, styles, pages and SVG (widget.js: ~157 KB raw, ~62 KB as Brotli). Never for
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
        app.UseDefaultFiles();
        var versions = app.Services.GetRequiredService<AssetVersions>();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = ContentTypes,
            OnPrepareResponse = file =>
            {
                file.Context.Response.Headers.CacheControl = CacheControlOf(file.Context.Request, versions);
                VaryByEncoding(file.Context.Response);
            },
        });
    }

    /// <summary>JavaScript as text/javascript (RFC 9239), as browsers expect it.</summary>
    private static FileExtensionContentTypeProvider ContentTypes
    {
        get
        {
            var provider = new FileExtensionContentTypeProvider();
            provider.Mappings[".js"] = "text/javascript";
            provider.Mappings[".mjs"] = "text/javascript";
            return provider;
        }
    }

    private static string CacheControlOf(HttpRequest request, AssetVersions versions)
    {
        if (request.Path.Value?.EndsWith(".html", StringComparison.OrdinalIgnoreCase) == true) return Revalidate;
        var asked = request.Query[VersionParameter];
        // Only the current version is immutable: a page of an older release asking with its old version gets today's
        // file, which must not be kept a year under that name.
        return asked.Count == 1 && asked[0] == versions.VersionOf(request.Path.Value ?? "") ? Immutable : ShortLived;
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
