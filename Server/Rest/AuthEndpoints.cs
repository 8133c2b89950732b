using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Identity;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Rest;

/// <summary>Agents' accounts over HTTP: Chatwoot's devise_token_auth paths (<c>POST /auth/sign_in</c>,
/// <c>DELETE /auth/sign_out</c>, <c>GET /auth/validate_token</c>, <c>PUT /auth/password</c>) and ChatHub's console
/// session, the profile edit (<c>PATCH /api/v1/profile</c>), administrators' account links, and avatars. Arguments to
/// <see cref="PasswordAccounts"/> or a use case, answers back; no rule here.</summary>
public static class AuthEndpoints
{
    /// <summary><c>session: "cookie"</c> (the console): the session goes in an HttpOnly cookie, never in the answer.</summary>
    public sealed record SignInBody(string? Email, string? Password, string? Session);
    public sealed record PasswordBody(string? ResetPasswordToken, string? Password, string? PasswordConfirmation, string? Session);
    public sealed record AccountLinkBody(string? Purpose);
    public const string CookieMode = "cookie";

    public static void MapAuth(this WebApplication app)
    {
        var auth = app.MapGroup("/auth");
        auth.MapPost("/sign_in", async (SignInBody? body, HttpContext http, PasswordAccounts accounts, Dispatcher use, IOptions<AccountOptions> options) =>
        {
            RequireOwnOrigin(http, body?.Session);
            var signedIn = await accounts.SignInAsync(body?.Email, body?.Password, ClientAddress.KeyOf(http));
            return await AnswerSignedInAsync(http, use, signedIn, body?.Session == CookieMode, options.Value);
        });
        // devise_token_auth's password update with a reset token: ChatHub's invitations and resets both land here.
        auth.MapPut("/password", async (PasswordBody? body, HttpContext http, PasswordAccounts accounts, Dispatcher use,
            IOptions<AccountOptions> options) =>
        {
            RequireOwnOrigin(http, body?.Session);
            var signedIn = await accounts.AcceptLinkAsync(body?.ResetPasswordToken, body?.Password, body?.PasswordConfirmation, ClientAddress.KeyOf(http));
            return await AnswerSignedInAsync(http, use, signedIn, body?.Session == CookieMode, options.Value);
        });

        var signedInOnly = auth.MapGroup("").RequireAuthorization(ChatHubApp.AgentPolicy);
        signedInOnly.MapGet("/validate_token", async (HttpContext http, Dispatcher use) =>
            new { success = true, data = await AgentEndpoints.ProfileAsync(http, use) });
        signedInOnly.MapDelete("/sign_out", async (HttpContext http, Dispatcher use, IOptions<AccountOptions> options) =>
        {
            await use.SendAsync<SignOut, Done>(http.Agent(), new SignOut(Everywhere: false));
            SessionCookie.Clear(http, options.Value);
            return new { success = true };
        });
        // Every session of the agent, on every device; its access token stays.
        signedInOnly.MapDelete("/sessions", async (HttpContext http, Dispatcher use, IOptions<AccountOptions> options) =>
        {
            await use.SendAsync<SignOut, Done>(http.Agent(), new SignOut(Everywhere: true));
            SessionCookie.Clear(http, options.Value);
            return new { success = true };
        });

        app.MapGet(AgentAvatars.PathPrefix + "/{token}", async (string token, IChatStore store, HttpContext http) =>
        {
            var avatar = token.Length <= 64 ? await store.ReadAsync(reader => reader.FindAgentAvatarAsync(token)) : null;
            if (avatar is null) return Results.NotFound();
            // The token changes with the image: cache it for good.
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            return Results.Bytes(Convert.FromBase64String(avatar.Data), avatar.ContentType);
        }).Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", "image/jpeg", "image/gif", "image/webp");
    }

    public static void MapAccountEndpoints(this RouteGroupBuilder api, ChatLimits limits)
    {
        // Chatwoot's profile update: name, display_name, avatar (multipart file), password with current_password.
        api.MapPatch("/profile", async (HttpContext http, Dispatcher use, PasswordAccounts accounts, IOptions<AccountOptions> options) =>
        {
            var edit = await ProfileEdit.ReadAsync(http.Request, limits, options.Value);
            var caller = http.Agent();
            if (edit.Password is not null) await accounts.ChangePasswordAsync(caller, edit.CurrentPassword, edit.Password, edit.PasswordConfirmation);
            var agent = await use.SendAsync<UpdateProfile, AgentDto>(caller, new UpdateProfile(edit.Name, edit.DisplayName, edit.Avatar, edit.RemoveAvatar));
            return UserProfileShape.For(agent, TokenAuthenticationHandler.HeaderToken(http.Request) ?? "");
        }).Accepts<ProfileEdit>("application/json", AttachmentEndpoints.Multipart)
            // An avatar's bytes on top of the usual body (Kestrel's limit for every other endpoint).
            .WithMetadata(new RequestSizeLimitAttribute(AccountOptionsOf(api).MaxAvatarBytes + limits.MaxRequestBodyBytes));
        api.MapPost("/agents/{id:long}/account_link", (long id, AccountLinkBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateAccountLink, AccountLinkDto>(http.Agent(), new CreateAccountLink(id, null, body?.Purpose)));
    }

    private static AccountOptions AccountOptionsOf(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetRequiredService<IOptions<AccountOptions>>().Value;

    /// <summary>Chatwoot's sign-in answer: <c>{data: &lt;the user&gt;}</c>, and devise_token_auth's headers for apps
    /// (<c>access-token</c> = the session token, <c>client</c>, <c>uid</c>). The console's answer carries no token: its
    /// session is in the cookie.</summary>
    private static async Task<object> AnswerSignedInAsync(HttpContext http, Dispatcher use, SignedIn signedIn, bool cookie, AccountOptions options)
    {
        var caller = Caller.ForSession(signedIn.Agent, Tokens.LookupHash(signedIn.Secret));
        var profile = await use.AskAsync<GetProfile, AgentDto>(caller, new GetProfile());
        if (cookie)
        {
            SessionCookie.Write(http, signedIn.Secret, signedIn.ExpiresAt, options);
            return new { data = UserProfileShape.For(profile, "") };
        }
        var headers = http.Response.Headers;
        headers["access-token"] = signedIn.Secret;
        headers["token-type"] = "Bearer";
        headers["client"] = Tokens.NewIdentifier();
        headers["uid"] = profile.Email;
        headers["expiry"] = Clock.ToSeconds(signedIn.ExpiresAt).ToString();
        return new { data = UserProfileShape.For(profile, signedIn.Secret) };
    }

    /// <summary>A console sign-in sets a cookie: only our own page may ask for one (no login CSRF). Browsers send Origin
    /// on every POST; an app sends none and gets no cookie.</summary>
    private static void RequireOwnOrigin(HttpContext http, string? session)
    {
        if (session != CookieMode) return;
        var origin = http.Request.Headers.Origin.ToString();
        if (!string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase))
            throw ChatException.Forbidden("a console session is only given to this server's own pages");
    }
}

/// <summary>The fields of a profile edit, from JSON (flat or under <c>profile</c>, as Chatwoot's dashboard sends) or a
/// multipart form (<c>profile[name]</c> or <c>name</c>; the avatar file as <c>profile[avatar]</c> or <c>avatar</c>). The
/// avatar is read up to Accounts:MaxAvatarBytes and one byte more (one more is refused by the use case).</summary>
public sealed record ProfileEdit(string? Name, string? DisplayName, byte[]? Avatar, bool RemoveAvatar, string? CurrentPassword, string? Password,
    string? PasswordConfirmation)
{
    private static readonly string[] Fields = ["name", "display_name", "current_password", "password", "password_confirmation", "avatar_url", "remove_avatar"];

    public static async Task<ProfileEdit> ReadAsync(HttpRequest request, ChatLimits limits, AccountOptions options)
    {
        var values = new Dictionary<string, string?>();
        byte[]? avatar = null;
        if (request.HasJsonContentType())
        {
            using var document = await ParseAsync(request);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("profile", out var nested) && nested.ValueKind == JsonValueKind.Object) root = nested;
            if (root.ValueKind != JsonValueKind.Object) throw ChatException.Invalid("body", "send a JSON object");
            foreach (var field in Fields)
                if (root.TryGetProperty(field, out var value))
                    values[field] = value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.True => "true", JsonValueKind.Null => null, _ => value.ToString() };
        }
        else
        {
            var form = await MultipartForm.ReadAsync(request, limits, name => name is "avatar" or "profile[avatar]", maxFiles: 1, filesField: "avatar");
            foreach (var field in Fields)
                if ((form[$"profile[{field}]"] ?? form[field]) is { } value) values[field] = value;
            if (form.Files.FirstOrDefault() is { } file) avatar = await ReadBoundedAsync(file.Content, options.MaxAvatarBytes + 1, request.HttpContext.RequestAborted);
        }
        // avatar_url: ChatHub serves only images uploaded to it (a remote one would tell another host who reads the
        // chat); an empty avatar_url removes the avatar, as remove_avatar does.
        if (values.GetValueOrDefault("avatar_url") is { Length: > 0 })
            throw ChatException.Invalid("avatar_url", "upload the image as avatar (multipart); remote avatar URLs are not used");
        var remove = values.ContainsKey("avatar_url") || values.GetValueOrDefault("remove_avatar") is "true" or "1";
        return new ProfileEdit(values.GetValueOrDefault("name"), values.GetValueOrDefault("display_name"), avatar, remove,
            values.GetValueOrDefault("current_password"), values.GetValueOrDefault("password"), values.GetValueOrDefault("password_confirmation"));
    }

    /// <summary>The body as JSON; malformed JSON is the caller's error (422), not the server's.</summary>
    private static async Task<JsonDocument> ParseAsync(HttpRequest request)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            throw ChatException.Invalid("body", "the request body must be a well-formed JSON object");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream content, int max, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (buffer.Length < max && await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max - buffer.Length)), cancel) is var read and > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }
}
