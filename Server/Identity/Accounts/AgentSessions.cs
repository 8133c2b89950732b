using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>Agents' sessions: an opaque 160-bit secret handed to the browser (an HttpOnly cookie, <see cref="SessionCookie"/>)
/// or to an app (the sign-in answer), stored only as its lookup hash. A session is valid while its agent is active and
/// it has not expired; each use at least <see cref="TouchEvery"/> after the last moves its expiry on by
/// <see cref="AccountOptions.SessionIdleTimeout"/>. Signing out deletes it; signing out everywhere, a password reset and
/// a deactivation delete all of the agent's.</summary>
public static class AgentSessions
{
    /// <summary>A session's last use is written at most this often (not on every request).</summary>
    public static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Starts a session for <paramref name="agentId"/> in <paramref name="store"/>'s transaction: the agent's
    /// expired sessions go, and the least recently used past <see cref="AccountOptions.MaxSessionsPerAgent"/>.
    /// Returns the secret (shown once) and the session.</summary>
    public static async ValueTask<(string Secret, AgentSecretRow Session)> StartAsync(IStoreTransaction store, long agentId, AccountOptions options)
    {
        var now = Clock.NowMs();
        await store.DeleteAgentSecretsAsync(agentId, AgentSecretPurposes.Session, expiredBy: now);
        var open = await store.ListAgentSecretsAsync(agentId, AgentSecretPurposes.Session);
        foreach (var old in open.OrderBy(s => s.LastUsedAt).Take(Math.Max(0, open.Count - options.MaxSessionsPerAgent + 1)))
            await store.DeleteAgentSecretAsync(old.Id);
        var secret = Tokens.NewSecret();
        var session = new AgentSecretRow
        {
            TokenHash = Tokens.LookupHash(secret), AgentId = agentId, Purpose = AgentSecretPurposes.Session,
            CreatedAt = now, LastUsedAt = now, ExpiresAt = now + (long)options.SessionIdleTimeout.TotalMilliseconds,
        };
        session.Id = await store.InsertAgentSecretAsync(session);
        return (secret, session);
    }

    /// <summary>Whether a stored secret is a live session of <paramref name="agentId"/> (any agent when null).</summary>
    public static bool IsLive(AgentSecretRow? session, long? agentId = null) =>
        session is { Purpose: AgentSecretPurposes.Session } && session.ExpiresAt > Clock.NowMs() && (agentId is null || session.AgentId == agentId);

    /// <summary>The CSRF token of a cookie session: derived from its secret (so the server keeps nothing more), sent to
    /// the console in a cookie it can read and required back in <see cref="SessionCookie.CsrfHeader"/> on every unsafe
    /// request the session cookie authenticates. Another site can neither read it nor compute it.</summary>
    public static string CsrfTokenOf(string secret) => Tokens.LookupHash("csrf:" + secret);
}
