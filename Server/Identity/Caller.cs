using ChatHub.Contracts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Identity;

/// <summary>Anonymous: a public endpoint before anyone is known (the inbox's widget view, creating a contact).
/// Operator: whoever runs the server's own command line on its machine (<c>reset-token</c>): an administrator's rights,
/// no identity in the store.</summary>
public enum CallerKind { Contact, Agent, Anonymous, Operator }

/// <summary>Who issues a command, whichever transport it came over. <see cref="ConnectionId"/> is set for hub
/// calls, so that the caller's own connection is not sent back what it just did.</summary>
public sealed record Caller(CallerKind Kind, long Id, string PubsubToken, long? ContactInboxId, bool IsAdministrator)
{
    public string? ConnectionId { get; init; }
    /// <summary>An agent's: the lookup hash of the access token it authenticated with, so that an open connection can be
    /// checked against the agent's current token (<see cref="CredentialRules.StillValidAsync"/>).</summary>
    public string? CredentialHash { get; init; }
    /// <summary>An agent's signed in with a session (the console's cookie, or a session token): the lookup hash of that
    /// session, which must still be live (<see cref="CredentialRules.StillValidAsync"/>); null for an access token.</summary>
    public string? SessionHash { get; init; }
    public bool IsContact => Kind == CallerKind.Contact;
    public bool IsAgent => Kind == CallerKind.Agent;
    public string SenderType => IsContact ? SenderTypes.Contact : SenderTypes.Agent;
    /// <summary>The rate limiter's key.</summary>
    public string Key => Kind switch
    {
        CallerKind.Contact => $"contact:{Id}", CallerKind.Agent => $"agent:{Id}", CallerKind.Operator => "operator", _ => "anonymous",
    };

    public static readonly Caller Anonymous = new(CallerKind.Anonymous, 0, "", null, false);
    public static readonly Caller Operator = new(CallerKind.Operator, 0, "", null, IsAdministrator: true);

    public static Caller ForContact(ContactRow contact) => new(CallerKind.Contact, contact.Id, contact.PubsubToken, contact.InboxId, false);
    public static Caller ForAgent(AgentRow agent) =>
        new(CallerKind.Agent, agent.Id, agent.PubsubToken, null, agent.Role == AgentRoles.Administrator) { CredentialHash = agent.AccessTokenHash };
    public static Caller ForSession(AgentRow agent, string sessionHash) => ForAgent(agent) with { CredentialHash = null, SessionHash = sessionHash };
}
