using ChatHub.Server.Application.Connections;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>An agent signed in: its row, and its new session's secret and expiry (Unix milliseconds).</summary>
public sealed record SignedIn(AgentRow Agent, string Secret, long ExpiresAt);

/// <summary>What needs an agent's password: signing in, setting one with a one-time link, changing one's own. Hashing
/// costs tens of milliseconds of CPU by design, so it runs before the store's transaction (never inside the single
/// writer's), which then only stores what it decided. Each answer for a wrong email or password is the same 401, after
/// the same hashing work; attempts are throttled per address and per email, with a lockout (<see cref="SignInThrottle"/>).
/// A new password ends the agent's other sessions, and their connections close on every node before the answer.</summary>
public sealed class PasswordAccounts(IChatStore store, SignInThrottle throttle, IOptions<AccountOptions> options, IClusterRechecks rechecks,
    ILogger<PasswordAccounts> logger)
{
    public const string BadCredentials = "Invalid login credentials. Please try again.";
    private const string DeadLink = "this link was used already or has expired: ask an administrator for a new one";

    private AccountOptions Options => options.Value;

    public async Task<SignedIn> SignInAsync(string? email, string? password, string address)
    {
        throttle.CheckAddress(address);
        if (string.IsNullOrWhiteSpace(email) || email.Length > 320 || string.IsNullOrEmpty(password) || password.Length > AccountOptions.MaxPasswordLength)
            throw ChatException.Unauthorized(BadCredentials);
        email = email.Trim();
        throttle.CheckEmail(email);
        var agent = await store.ReadAsync(reader => reader.FindAgentByEmailAsync(email));
        var outcome = Passwords.Check(agent?.PasswordHash, password);
        if (outcome == Passwords.Outcome.Wrong || agent!.DeactivatedAt is not null)
        {
            throttle.Failed(email);
            throw ChatException.Unauthorized(BadCredentials);
        }
        throttle.Succeeded(email);
        var rehashed = outcome == Passwords.Outcome.RightRehash ? Passwords.Hash(password) : null;
        var (secret, session) = await store.WriteAsync(async w =>
        {
            if (rehashed is not null) await w.SetAgentPasswordAsync(agent.Id, rehashed);
            return await AgentSessions.StartAsync(w, agent.Id, Options);
        });
        return new SignedIn(agent, secret, session.ExpiresAt);
    }

    /// <summary>Sets the password of the agent a one-time link (invitation or reset) names, uses the link up, ends the
    /// agent's sessions and signs it in.</summary>
    public async Task<SignedIn> AcceptLinkAsync(string? token, string? password, string? confirmation, string address)
    {
        throttle.CheckAddress(address);
        CheckNewPassword(password, confirmation);
        if (string.IsNullOrEmpty(token) || token.Length > CredentialRules.MaxTokenLength) throw ChatException.Invalid("reset_password_token", DeadLink);
        var hash = Passwords.Hash(password!);
        var tokenHash = Tokens.LookupHash(token);
        var signedIn = await store.WriteAsync(async w =>
        {
            var link = await w.FindAgentSecretAsync(tokenHash);
            if (link is not { Purpose: AgentSecretPurposes.Invitation or AgentSecretPurposes.PasswordReset } || link.ExpiresAt <= Clock.NowMs()
                || !Tokens.FixedTimeEquals(link.TokenHash, tokenHash) || !await w.DeleteAgentSecretAsync(link.Id))
                throw ChatException.Invalid("reset_password_token", DeadLink);
            if (await w.GetAgentAsync(link.AgentId) is not { DeactivatedAt: null } agent) throw ChatException.Invalid("reset_password_token", DeadLink);
            await w.SetAgentPasswordAsync(agent.Id, hash);
            agent.PasswordHash = hash;
            await w.DeleteAgentSecretsAsync(agent.Id, AgentSecretPurposes.Session);
            var (secret, session) = await AgentSessions.StartAsync(w, agent.Id, Options);
            return new SignedIn(agent, secret, session.ExpiresAt);
        });
        await RecheckAsync(signedIn.Agent.Id);
        return signedIn;
    }

    /// <summary>An agent changes its own password, proving it knows the current one (throttled and locked out as a
    /// sign-in is); its other sessions end, the one it called with stays.</summary>
    public async Task ChangePasswordAsync(Caller caller, string? current, string? password, string? confirmation)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        CheckNewPassword(password, confirmation);
        var agent = await store.ReadAsync(reader => reader.GetAgentAsync(caller.Id)) ?? throw ChatException.NotFound("agent");
        throttle.CheckEmail(agent.Email);
        // An agent that never set a password (it signed in with its access token) may set one without.
        if (agent.PasswordHash is not null
            && (string.IsNullOrEmpty(current) || current.Length > AccountOptions.MaxPasswordLength || Passwords.Check(agent.PasswordHash, current) == Passwords.Outcome.Wrong))
        {
            throttle.Failed(agent.Email);
            throw ChatException.Invalid("current_password", "the current password is wrong");
        }
        var hash = Passwords.Hash(password!);
        await store.WriteAsync(async w =>
        {
            await w.SetAgentPasswordAsync(agent.Id, hash);
            foreach (var session in await w.ListAgentSecretsAsync(agent.Id, AgentSecretPurposes.Session))
                if (session.TokenHash != caller.SessionHash) await w.DeleteAgentSecretAsync(session.Id);
            return 0;
        });
        await RecheckAsync(agent.Id);
    }

    /// <summary>Closes the connections of the sessions just ended, on every node. The change is committed whatever
    /// happens here: a failure is logged (the access sweep and the next recheck catch up), never the caller's answer.</summary>
    private async Task RecheckAsync(long agentId)
    {
        try
        {
            await rechecks.RecheckEverywhereAsync(new AccessScope.Agent(agentId));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The open connections of agent {AgentId} could not all be checked again", agentId);
        }
    }

    private void CheckNewPassword(string? password, string? confirmation)
    {
        if (string.IsNullOrEmpty(password) || password.Length < Options.MinPasswordLength || password.Length > AccountOptions.MaxPasswordLength)
            throw ChatException.Invalid("password", $"the password must be {Options.MinPasswordLength} to {AccountOptions.MaxPasswordLength} characters long");
        if (confirmation is not null && confirmation != password)
            throw ChatException.Invalid("password_confirmation", "the password confirmation does not match");
    }
}
