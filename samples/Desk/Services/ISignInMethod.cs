namespace ChatHub.Samples.Desk.Services;

/// <summary>How the desk gets the access token its <c>AgentSession</c> connects with. Today an agent pastes its
/// access token (profile page of the web console, or <c>reset-token</c>); the seam for email and password (issue 21):
/// a <c>PasswordSignIn</c> that posts them to the server's sign-in endpoint and returns the session token it answers,
/// with the sign-in form showing email and password fields for it.</summary>
public interface ISignInMethod
{
    /// <summary>The access token for <paramref name="serverUrl"/>; throws with a message for the form when refused.</summary>
    Task<string> GetAccessTokenAsync(Uri serverUrl, CancellationToken cancellationToken);
}

/// <summary>The agent's access token, as typed into the form.</summary>
public sealed class AccessTokenSignIn(string accessToken) : ISignInMethod
{
    public Task<string> GetAccessTokenAsync(Uri serverUrl, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(accessToken)
            ? throw new ArgumentException("Enter your access token (your profile page in the web console shows it).")
            : Task.FromResult(accessToken.Trim());
}
