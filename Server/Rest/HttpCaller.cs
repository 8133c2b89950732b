using ChatHub.Server.Identity;

namespace ChatHub.Server.Rest;

public static class HttpCaller
{
    /// <summary>The authenticated agent of an agent API request.</summary>
    public static Caller Agent(this HttpContext http) => TokenAuthenticationHandler.FromPrincipal(http.User);
}
