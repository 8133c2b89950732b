using Microsoft.Net.Http.Headers;

namespace ChatHub.Server.Rest;

/// <summary>Response headers every answer gets: no content sniffing, no referrer leaving our pages (the demo
/// page's URL names an inbox), the console and demo pages never framed by another site, answers carrying
/// tokens never cached, and a 401 that says how to authenticate.</summary>
public static class SecurityHeaders
{
    public static void UseSecurityHeaders(this WebApplication app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() => Apply(http));
        return next(http);
    });

    private static Task Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        }
        // API answers carry pubsub tokens, access tokens and HMAC tokens: no cache may keep them.
        if (IsApi(http.Request.Path)) headers.CacheControl = "no-store";
        if (http.Response.StatusCode == StatusCodes.Status401Unauthorized && !headers.ContainsKey(HeaderNames.WWWAuthenticate))
            headers.WWWAuthenticate = "Bearer realm=\"ChatHub\"";
        return Task.CompletedTask;
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/public/api") || path.StartsWithSegments("/hubs");
}
