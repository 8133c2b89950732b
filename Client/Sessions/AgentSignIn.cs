using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>An agent signs in with its email and password, as the web console does, instead of pasting an access
/// token: <see cref="WithPasswordAsync"/> posts them to the server's <c>POST /auth/sign_in</c> (Chatwoot's
/// devise_token_auth path) and hands back an <see cref="AgentCredential"/> whose session token opens an
/// <see cref="AgentSession"/>; <see cref="SignOutAsync"/> (<c>DELETE /auth/sign_out</c>) ends that session. The
/// password travels once, to the server (use https), and is not kept.</summary>
public static class AgentSignIn
{
    private sealed record SignInBody(string Email, string Password);

    private sealed record SignInAnswer(AgentDto? Data);

    /// <summary>Signs in with <paramref name="email"/> (its case is ignored) and <paramref name="password"/>.</summary>
    /// <param name="serverUrl">The server's base address, e.g. <c>https://chat.example.com</c>.</param>
    /// <param name="email">The agent's email.</param>
    /// <param name="password">The agent's password (set from the invitation or a reset link).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The session token and the agent.</returns>
    /// <exception cref="ChatHubUnauthorizedException">Wrong email or password, an agent that has not set a password
    /// yet, or a deactivated agent: the server answers all of them alike (HTTP 401), so as to tell nobody which emails
    /// exist.</exception>
    /// <exception cref="ChatHubRateLimitedException">Too many attempts, or the email is locked out after repeated
    /// failures (HTTP 429); <see cref="ChatHubRateLimitedException.RetryAfter"/> says when to try again.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public static async Task<AgentCredential> WithPasswordAsync(Uri serverUrl, string email, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var answer = await new RestClient(serverUrl)
            .PostAsync<SignInAnswer>("/auth/sign_in", new SignInBody(email.Trim(), password), cancellationToken).ConfigureAwait(false);
        if (answer.Data is not { AccessToken: { Length: > 0 } token } agent)
        {
            throw new ChatHubException(ChatHubException.UnknownCode, "the sign-in answer carried no session token",
                $"{serverUrl}: the sign-in answer carried no session token");
        }
        // The token is the credential's own property; the profile does not carry a second copy of the secret.
        return new AgentCredential(serverUrl, token, agent with { AccessToken = null });
    }

    /// <summary>Ends the session <paramref name="accessToken"/> belongs to: it opens nothing any more, and the
    /// connections opened with it close (stop the app's <see cref="AgentSession"/> first, so that its <c>Closed</c>
    /// event is not raised as an error). A session that has already ended (expired, signed out everywhere, password
    /// reset) counts as signed out. The agent's own access token is not a session: signing out with it changes
    /// nothing.</summary>
    /// <exception cref="ChatHubRateLimitedException">Too many requests (HTTP 429).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached: the session is still valid there.</exception>
    public static async Task SignOutAsync(Uri serverUrl, string accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        try
        {
            await new RestClient(serverUrl, accessToken).DeleteAsync("/auth/sign_out", cancellationToken).ConfigureAwait(false);
        }
        catch (ChatHubUnauthorizedException)
        {
            // Already over: what signing out wanted.
        }
    }
}
