namespace ChatHub.Server.Identity.Accounts;

/// <summary>The console's session cookie and its CSRF companion. The session cookie is HttpOnly (no script reads it),
/// SameSite=Strict (no other site's page sends it) and Secure on HTTPS (or always: <see cref="AccountOptions.AlwaysSecureCookie"/>);
/// over plain http (development on localhost) it cannot be Secure, or the browser would not send it back. The CSRF
/// cookie is readable by the console's script, which echoes it in <see cref="CsrfHeader"/> (double submit, bound to the
/// session: <see cref="AgentSessions.CsrfTokenOf"/>).</summary>
public static class SessionCookie
{
    public const string Name = "chathub_session";
    public const string CsrfName = "chathub_csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    public static void Write(HttpContext http, string secret, long expiresAtMs, AccountOptions options)
    {
        var expires = DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs);
        var secure = options.AlwaysSecureCookie || http.Request.IsHttps;
        http.Response.Cookies.Append(Name, secret, new CookieOptions
        {
            HttpOnly = true, Secure = secure, SameSite = SameSiteMode.Strict, Path = "/", Expires = expires, IsEssential = true,
        });
        http.Response.Cookies.Append(CsrfName, AgentSessions.CsrfTokenOf(secret), new CookieOptions
        {
            HttpOnly = false, Secure = secure, SameSite = SameSiteMode.Strict, Path = "/", Expires = expires, IsEssential = true,
        });
    }

    public static void Clear(HttpContext http, AccountOptions options)
    {
        var secure = options.AlwaysSecureCookie || http.Request.IsHttps;
        foreach (var (name, httpOnly) in new[] { (Name, true), (CsrfName, false) })
            http.Response.Cookies.Delete(name, new CookieOptions { HttpOnly = httpOnly, Secure = secure, SameSite = SameSiteMode.Strict, Path = "/" });
    }

    public static string? Read(HttpRequest request) => request.Cookies.TryGetValue(Name, out var value) && value.Length > 0 ? value : null;
}
