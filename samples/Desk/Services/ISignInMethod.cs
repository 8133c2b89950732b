using ChatHub.Client;

namespace ChatHub.Samples.Desk.Services;

/// <summary>How the desk gets the credential its <see cref="AgentSession"/> connects with, and how signing out ends it:
/// <see cref="PasswordSignIn"/> (email and password, the default) or <see cref="AccessTokenSignIn"/> (the agent's
/// access token, pasted). A single-sign-on method would be a third implementation.</summary>
public interface ISignInMethod
{
    /// <summary>Signs in at <paramref name="serverUrl"/>; throws when refused (<see cref="ChatHubUnauthorizedException"/>,
    /// <see cref="ChatHubRateLimitedException"/>, or an <see cref="ArgumentException"/> with a message for the form).</summary>
    Task<SignedIn> SignInAsync(Uri serverUrl, CancellationToken cancellationToken);
}

/// <summary>What the desk is signed in with: the options its <see cref="AgentSession"/> starts from (they hold the
/// token), and what signing out tells the server.</summary>
public sealed class SignedIn(AgentSessionOptions sessionOptions, Func<CancellationToken, Task> signOutOnServer)
{
    public AgentSessionOptions SessionOptions { get; } = sessionOptions;

    /// <summary>Ends the credential on the server, if it is one that ends (a password session); the desk stops its
    /// session first.</summary>
    public Task SignOutAsync(CancellationToken cancellationToken = default) => signOutOnServer(cancellationToken);
}

/// <summary>Email and password, posted to the server's sign-in (<see cref="AgentSignIn.WithPasswordAsync"/>): the
/// desk connects with the session token it answers, and signing out ends that session on the server.</summary>
public sealed class PasswordSignIn(string email, string password) : ISignInMethod
{
    public async Task<SignedIn> SignInAsync(Uri serverUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            throw new ArgumentException("Enter your email and your password.");
        var credential = await AgentSignIn.WithPasswordAsync(serverUrl, email, password, cancellationToken);
        return new SignedIn(credential.ToSessionOptions(), credential.SignOutAsync);
    }
}

/// <summary>The agent's access token, as typed into the form (the profile page of the web console shows it). It is
/// the agent's own, for integrations too: signing out of the desk leaves it valid.</summary>
public sealed class AccessTokenSignIn(string accessToken) : ISignInMethod
{
    public Task<SignedIn> SignInAsync(Uri serverUrl, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(accessToken)
            ? throw new ArgumentException("Enter your access token (your profile page in the web console shows it).")
            : Task.FromResult(new SignedIn(new AgentSessionOptions { ServerUrl = serverUrl, AccessToken = accessToken.Trim() }, _ => Task.CompletedTask));
}
