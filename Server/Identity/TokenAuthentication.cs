using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatHub.Contracts;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Identity;

/// <summary>Authenticates a contact's pubsub_token, an agent's access_token or an agent's session: from the query
/// string's access_token (hub only: browsers cannot set headers on WebSockets), "Authorization: Bearer", Chatwoot's
/// api_access_token header, devise_token_auth's access-token header (Chatwoot's apps, after <c>POST /auth/sign_in</c>),
/// or the console's session cookie. A cookie rides along with requests the page did not mean to make, so a request it
/// authenticates must prove it comes from our own page: an unsafe method carries the CSRF token
/// (<see cref="SessionCookie.CsrfHeader"/>), and the hub's handshake (negotiate and WebSocket, where no header can be set)
/// carries our own Origin. Whether a credential opens anything is <see cref="CredentialRules"/>' to say.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<TokenAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, IChatStore store,
    IOptions<AccountOptions> accounts)
    : AuthenticationHandler<TokenAuthenticationOptions>(options, logger, encoder)
{
    // Failed authentications are routine (expired widgets, scanners): Debug, never the token itself.
    private readonly ILogger _failures = logger.CreateLogger("ChatHub.Server.Identity.Authentication");

    public const string HubScheme = "HubToken";
    public const string AgentScheme = "AgentToken";
    public const string KindClaim = "chathub:kind";
    public const string PubsubClaim = "chathub:pubsub";
    public const string InboxClaim = "chathub:inbox";
    public const string CredentialClaim = "chathub:credential";
    public const string SessionClaim = "chathub:session";
    /// <summary>devise_token_auth's header (Chatwoot's apps send it with <c>client</c> and <c>uid</c>).</summary>
    public const string DeviseTokenHeader = "access-token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (token, fromCookie) = ReadCredential();
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        if (fromCookie && CookieRefusal(token) is { } refusal)
        {
            _failures.LogDebug("Session cookie refused for {Method} {Path}: {Reason}", Request.Method, Request.Path, refusal);
            return AuthenticateResult.Fail(refusal);
        }
        var (caller, session) = await ResolveAsync(token, fromCookie);
        if (caller is null)
        {
            _failures.LogDebug("Authentication failed for {Method} {Endpoint}: unknown token", Request.Method,
                Context.GetEndpoint()?.DisplayName ?? "(no endpoint)");
            return AuthenticateResult.Fail("bad token");
        }
        if (session is not null) await SlideAsync(session, token, fromCookie);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(ToClaims(caller), Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private (string? Token, bool FromCookie) ReadCredential()
    {
        if (HeaderToken(Request) is { } token) return (token, false);
        if (Request.Headers.TryGetValue(DeviseTokenHeader, out var devise) && devise.ToString() is { Length: > 0 } deviseToken) return (deviseToken, false);
        if (Options.AllowQueryToken && Request.Path.StartsWithSegments(HubPaths.Chat) && Request.Query["access_token"].ToString() is { Length: > 0 } query)
            return (query, false);
        return (SessionCookie.Read(Request), true);
    }

    /// <summary>Why a request the session cookie would authenticate may not be from our own page, or null.</summary>
    private string? CookieRefusal(string secret)
    {
        if (Request.Path.StartsWithSegments(HubPaths.Chat))
        {
            var origin = Request.Headers.Origin.ToString();
            return string.Equals(origin, $"{Request.Scheme}://{Request.Host}", StringComparison.OrdinalIgnoreCase) ? null : "cross-origin hub handshake";
        }
        if (HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method) || HttpMethods.IsOptions(Request.Method)) return null;
        return Tokens.FixedTimeEquals(Request.Headers[SessionCookie.CsrfHeader].ToString(), AgentSessions.CsrfTokenOf(secret)) ? null : "missing or wrong CSRF token";
    }

    /// <summary>The token a REST request carries (api_access_token or Bearer): on an authenticated request, the one it
    /// was authenticated with (Chatwoot's profile shows the caller its own).</summary>
    public static string? HeaderToken(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers.TryGetValue("api_access_token", out var apiToken)) return apiToken.ToString();
        var authorization = headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>A cookie is only ever a session; a token may be an access token, a session token (the sign-in answer's)
    /// or, on the hub, a contact's pubsub token.</summary>
    private Task<(Caller? Caller, AgentSecretRow? Session)> ResolveAsync(string token, bool fromCookie) => store.ReadAsync(async reader =>
    {
        if (!fromCookie && await CredentialRules.AgentByTokenAsync(reader, token) is { } agent) return (agent, (AgentSecretRow?)null);
        if (await CredentialRules.AgentBySessionAsync(reader, token) is { } signedIn) return (signedIn.Caller, signedIn.Session);
        if (!fromCookie && Options.AllowContacts && await CredentialRules.ContactByTokenAsync(reader, token) is { } contact) return (contact, null);
        return ((Caller?)null, (AgentSecretRow?)null);
    });

    /// <summary>Moves a used session's expiry on (at most once a minute), and its cookie's with it.</summary>
    private async Task SlideAsync(AgentSecretRow session, string secret, bool fromCookie)
    {
        var now = Common.Clock.NowMs();
        if (now - session.LastUsedAt < AgentSessions.TouchEvery.TotalMilliseconds) return;
        var expiresAt = now + (long)accounts.Value.SessionIdleTimeout.TotalMilliseconds;
        await store.WriteAsync(async w => { await w.TouchAgentSecretAsync(session.Id, now, expiresAt); return 0; });
        if (fromCookie && !Response.HasStarted) SessionCookie.Write(Context, secret, expiresAt, accounts.Value);
    }

    private static IEnumerable<Claim> ToClaims(Caller caller)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, caller.Id.ToString());
        yield return new Claim(KindClaim, caller.Kind.ToString());
        yield return new Claim(PubsubClaim, caller.PubsubToken);
        if (caller.ContactInboxId is { } inboxId) yield return new Claim(InboxClaim, inboxId.ToString());
        if (caller.CredentialHash is { } credential) yield return new Claim(CredentialClaim, credential);
        if (caller.SessionHash is { } session) yield return new Claim(SessionClaim, session);
        if (caller.IsAgent) yield return new Claim(ClaimTypes.Role, caller.IsAdministrator ? AgentRoles.Administrator : AgentRoles.Agent);
    }

    /// <summary>Rebuilds the caller from the claims this handler issued.</summary>
    public static Caller FromPrincipal(ClaimsPrincipal user)
    {
        var kind = Enum.Parse<CallerKind>(user.FindFirstValue(KindClaim)!);
        var id = long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var inbox = user.FindFirstValue(InboxClaim) is { } text ? long.Parse(text) : (long?)null;
        return new Caller(kind, id, user.FindFirstValue(PubsubClaim)!, inbox, user.IsInRole(AgentRoles.Administrator))
        {
            CredentialHash = user.FindFirstValue(CredentialClaim),
            SessionHash = user.FindFirstValue(SessionClaim),
        };
    }
}

public sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions
{
    public bool AllowContacts { get; set; }
    public bool AllowQueryToken { get; set; }
}
