namespace ChatHub.Server.Storage;

/// <summary>What an agent's secret opens (<see cref="AgentSecretRow.Purpose"/>).</summary>
public static class AgentSecretPurposes
{
    /// <summary>A console session (the cookie's opaque id).</summary>
    public const string Session = "session";
    /// <summary>A one-time link that lets a new agent set its first password.</summary>
    public const string Invitation = "invitation";
    /// <summary>A one-time link that lets an agent set a new password.</summary>
    public const string PasswordReset = "password_reset";
}

/// <summary>A secret handed to an agent's browser (a session id, an invitation or a reset link), kept only as its lookup
/// hash: a leaked database opens no session. Sessions slide (<see cref="ExpiresAt"/> moves on with use); links are
/// deleted when used, so they open once.</summary>
public sealed class AgentSecretRow
{
    [WrittenOnce] public long Id { get; set; }
    [WrittenOnce] public string TokenHash { get; set; } = "";
    [WrittenOnce] public long AgentId { get; set; }
    [WrittenOnce] public string Purpose { get; set; } = AgentSecretPurposes.Session;
    [WrittenOnce] public long CreatedAt { get; set; }
    public long LastUsedAt { get; set; }
    public long ExpiresAt { get; set; }
}

/// <summary>An agent's avatar: a small image (base64 text, so that every engine stores it as text), served at a URL
/// named by its random <see cref="Token"/>, which changes with every new image (so a cached old one is never shown).</summary>
public sealed class AgentAvatarRow
{
    [WrittenOnce] public long Id { get; set; }
    [WrittenOnce] public long AgentId { get; set; }
    [WrittenOnce] public string Token { get; set; } = "";
    [WrittenOnce] public string ContentType { get; set; } = "";
    [WrittenOnce] public string Data { get; set; } = "";
    [WrittenOnce] public long CreatedAt { get; set; }
}
