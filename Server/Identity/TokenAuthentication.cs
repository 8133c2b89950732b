using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Identity;

/// <summary>Authenticates a contact's pubsub_token or an agent's access_token, from the query string's
/// access_token (hub only: browsers cannot set headers on WebSockets), "Authorization: Bearer", or Chatwoot's
/// api_access_token header. Whether a token opens anything is <see cref="CredentialRules"/>' to say.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<TokenAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, IChatStore store)
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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        var caller = await ResolveAsync(token);
        if (caller is null)
        {
            _failures.LogDebug("Authentication failed for {Method} {Endpoint}: unknown token", Request.Method,
                Context.GetEndpoint()?.DisplayName ?? "(no endpoint)");
            return AuthenticateResult.Fail("bad token");
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(ToClaims(caller), Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private string? ReadToken()
    {
        if (HeaderToken(Request) is { } token) return token;
        if (Options.AllowQueryToken && Request.Path.StartsWithSegments(HubPaths.Chat)) return Request.Query["access_token"].ToString();
        return null;
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

    private Task<Caller?> ResolveAsync(string token) => store.ReadAsync(async reader =>
        await CredentialRules.AgentByTokenAsync(reader, token)
        ?? (Options.AllowContacts ? await CredentialRules.ContactByTokenAsync(reader, token) : null));

    private static IEnumerable<Claim> ToClaims(Caller caller)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, caller.Id.ToString());
        yield return new Claim(KindClaim, caller.Kind.ToString());
        yield return new Claim(PubsubClaim, caller.PubsubToken);
        if (caller.ContactInboxId is { } inboxId) yield return new Claim(InboxClaim, inboxId.ToString());
        if (caller.CredentialHash is { } credential) yield return new Claim(CredentialClaim, credential);
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
        };
    }
}

public sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions
{
    public bool AllowContacts { get; set; }
    public bool AllowQueryToken { get; set; }
}
