namespace ChatHub.Contracts;

/// <summary>What a one-time account link is for.</summary>
public static class AccountLinkPurposes
{
    public const string Invitation = "invitation";
    public const string PasswordReset = "password_reset";
}

/// <summary>A one-time, expiring link that lets an agent set a password (an invitation, or a password reset): shown to
/// the administrator who made it, and emailed when the server sends mail. <see cref="Url"/> is a path on this server
/// (the console's, with the secret in its fragment, so that it never reaches a log or a Referer).</summary>
public sealed record AccountLinkDto
{
    public long AgentId { get; init; }
    public string Purpose { get; init; } = AccountLinkPurposes.Invitation;
    public string Url { get; init; } = "";
    /// <summary>Unix seconds.</summary>
    public long ExpiresAt { get; init; }
}
