using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>An agent signed in with email and password (<see cref="AgentSignIn.WithPasswordAsync"/>): the session
/// token the server gave, which works wherever the agent's access token does (an <see cref="AgentSession"/>, the REST
/// API's <c>api_access_token</c>), and the agent it belongs to. The session lasts while it is used (its end slides with
/// each use) until <see cref="SignOutAsync"/>, a sign-out everywhere, a password reset or the agent's deactivation ends
/// it; then the server answers 401 (<see cref="ChatHubUnauthorizedException"/>) and the app asks for the password
/// again. A class, not a record: its <see cref="object.ToString"/> leaves the token out, so logging it leaks nothing.</summary>
public sealed class AgentCredential
{
    /// <summary>A credential for <paramref name="accessToken"/> on <paramref name="serverUrl"/>, as the server answered
    /// it for <paramref name="agent"/>.</summary>
    public AgentCredential(Uri serverUrl, string accessToken, AgentDto agent)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentNullException.ThrowIfNull(agent);
        ServerUrl = serverUrl;
        AccessToken = accessToken;
        Agent = agent;
    }

    /// <summary>The server signed in to.</summary>
    public Uri ServerUrl { get; }

    /// <summary>The session token: a secret, to be kept as carefully as a password (or not kept at all).</summary>
    public string AccessToken { get; }

    /// <summary>The agent, as the sign-in answered it (id, name, email, role, availability, ...).</summary>
    public AgentDto Agent { get; }

    /// <summary>Options for an <see cref="AgentSession"/> on this session (<c>with { ... }</c> sets the rest).</summary>
    public AgentSessionOptions ToSessionOptions() => new() { ServerUrl = ServerUrl, AccessToken = AccessToken };

    /// <summary>Ends the session on the server (<see cref="AgentSignIn.SignOutAsync"/>).</summary>
    public Task SignOutAsync(CancellationToken cancellationToken = default) =>
        AgentSignIn.SignOutAsync(ServerUrl, AccessToken, cancellationToken);

    /// <summary>The agent and the server; never the token.</summary>
    public override string ToString() => $"{Agent.Email} (agent {Agent.Id}) at {ServerUrl}";
}
