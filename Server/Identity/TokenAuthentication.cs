using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Identity;

/// <summary>Authenticates a contact's pubsub_token or an agent's access_token, from the query string's
/// access_token (hub only: browsers cannot set headers on WebSockets), "Authorization: Bearer", or Chatwoot's
/// api_access_token header. Tokens are looked up by hash, then compared in constant time.</summary>
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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        var caller = token.Length > 256 ? null : await ResolveAsync(token);
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
        var headers = Request.Headers;
        if (headers.TryGetValue("api_access_token", out var apiToken)) return apiToken.ToString();
        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();
        if (Options.AllowQueryToken && Request.Path.StartsWithSegments(HubPaths.Chat)) return Request.Query["access_token"].ToString();
        return null;
    }

    private Task<Caller?> ResolveAsync(string token)
    {
        var hash = Tokens.LookupHash(token);
        return store.ReadAsync<Caller?>(async reader =>
        {
            var agent = await reader.FindAgentByTokenHashAsync(hash);
            if (agent is not null && Tokens.FixedTimeEquals(agent.AccessTokenHash, hash))
                return agent.DeactivatedAt is null ? Caller.ForAgent(agent) : null; // a deactivated agent's token opens nothing
            if (!Options.AllowContacts) return null;
            var contact = await reader.FindContactByTokenHashAsync(hash);
            if (contact is not null && Tokens.FixedTimeEquals(contact.PubsubToken, token)) return Caller.ForContact(contact);
            return null;
        });
    }

    private static IEnumerable<Claim> ToClaims(Caller caller)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, caller.Id.ToString());
        yield return new Claim(KindClaim, caller.Kind.ToString());
        yield return new Claim(PubsubClaim, caller.PubsubToken);
        if (caller.ContactInboxId is { } inboxId) yield return new Claim(InboxClaim, inboxId.ToString());
        if (caller.IsAgent) yield return new Claim(ClaimTypes.Role, caller.IsAdministrator ? AgentRoles.Administrator : AgentRoles.Agent);
    }

    /// <summary>Rebuilds the caller from the claims this handler issued.</summary>
    public static Caller FromPrincipal(ClaimsPrincipal user)
    {
        var kind = Enum.Parse<CallerKind>(user.FindFirstValue(KindClaim)!);
        var id = long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var inbox = user.FindFirstValue(InboxClaim) is { } text ? long.Parse(text) : (long?)null;
        return new Caller(kind, id, user.FindFirstValue(PubsubClaim)!, inbox, user.IsInRole(AgentRoles.Administrator));
    }
}

public sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions
{
    public bool AllowContacts { get; set; }
    public bool AllowQueryToken { get; set; }
}
