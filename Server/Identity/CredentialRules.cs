using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Identity;

/// <summary>The one rule of whether a credential is valid now, for every channel (the hub and REST through
/// <see cref="TokenAuthenticationHandler"/>, the client API through <see cref="ContactCredentials"/>, /cable through
/// RoomChannel) and for connections already open (<see cref="Application.Connections.AccessRecheck"/>):
/// <list type="bullet">
/// <item>an agent's access token opens something only while it is the agent's current token and the agent is active; its
/// pubsub token (/cable) likewise, with its user id; both are replaced together by a token reset;</item>
/// <item>an agent's session (the console's cookie, or the token a password sign-in answered with) only while it is live
/// (not signed out, not expired) and the agent is active; a token reset leaves sessions alone, a deactivation deletes them;</item>
/// <item>a contact's credentials (its pubsub token, or its inbox and source_id) only while its inbox does not require a
/// verified contact (HMAC mandatory) or the contact is verified.</item>
/// </list></summary>
public static class CredentialRules
{
    /// <summary>Longer tokens are never looked up (ours are 27 characters).</summary>
    public const int MaxTokenLength = 256;

    public static bool AgentMayAct(AgentRow agent, string? tokenHash) =>
        agent.DeactivatedAt is null && Tokens.FixedTimeEquals(agent.AccessTokenHash, tokenHash);

    /// <summary>Whether an open connection's agent credential is still the agent's by what its row alone says: for a
    /// session, the agent is active (the session itself is checked by <see cref="StillValidAsync"/>); for a token, it
    /// is the current one.</summary>
    public static bool AgentCredentialCurrent(AgentRow agent, Caller caller) =>
        caller.SessionHash is not null ? agent.DeactivatedAt is null : AgentMayAct(agent, caller.CredentialHash);

    /// <summary>The agent whose live session this secret is, if it may act, with the session (to slide its expiry).</summary>
    public static async ValueTask<(Caller Caller, AgentSecretRow Session)?> AgentBySessionAsync(IStoreReader reader, string secret)
    {
        if (secret.Length is 0 or > MaxTokenLength) return null;
        var hash = Tokens.LookupHash(secret);
        var session = await reader.FindAgentSecretAsync(hash);
        if (!Accounts.AgentSessions.IsLive(session) || !Tokens.FixedTimeEquals(session!.TokenHash, hash)) return null;
        return await reader.GetAgentAsync(session.AgentId) is { DeactivatedAt: null } agent ? (Caller.ForSession(agent, hash), session) : null;
    }

    public static bool ContactMayAct(InboxRow inbox, ContactRow contact) => !inbox.HmacMandatory || contact.HmacVerified;

    /// <summary>The agent whose current access token this is, if it may act.</summary>
    public static async ValueTask<Caller?> AgentByTokenAsync(IStoreReader reader, string token)
    {
        if (token.Length is 0 or > MaxTokenLength) return null;
        var hash = Tokens.LookupHash(token);
        var agent = await reader.FindAgentByTokenHashAsync(hash);
        return agent is not null && AgentMayAct(agent, hash) ? Caller.ForAgent(agent) : null;
    }

    /// <summary>The agent a /cable subscription names (Chatwoot's RoomChannel: <c>user_id</c> and the user's
    /// <c>pubsub_token</c>), if that is its current pubsub token (compared in constant time) and it may act. The caller
    /// carries the agent's current access-token hash, so a token reset or a deactivation revokes the subscription
    /// like any connection of the agent.</summary>
    public static async ValueTask<Caller?> AgentByPubsubTokenAsync(IStoreReader reader, long agentId, string pubsubToken)
    {
        if (pubsubToken.Length is 0 or > MaxTokenLength) return null;
        var agent = await reader.GetAgentAsync(agentId);
        return agent is not null && Tokens.FixedTimeEquals(agent.PubsubToken, pubsubToken) && AgentMayAct(agent, agent.AccessTokenHash)
            ? Caller.ForAgent(agent)
            : null;
    }

    /// <summary>The contact whose pubsub token this is, if it may act.</summary>
    public static async ValueTask<Caller?> ContactByTokenAsync(IStoreReader reader, string token)
    {
        if (token.Length is 0 or > MaxTokenLength) return null;
        var contact = await reader.FindContactByTokenHashAsync(Tokens.LookupHash(token));
        if (contact is null || !Tokens.FixedTimeEquals(contact.PubsubToken, token)) return null;
        return await reader.GetInboxAsync(contact.InboxId) is { } inbox && ContactMayAct(inbox, contact) ? Caller.ForContact(contact) : null;
    }

    /// <summary>The client API's credentials: the inbox identifier and the contact's source_id in the path. Unknown is
    /// "not found"; a contact an HMAC-mandatory inbox does not let in is "unauthorized".</summary>
    public static async ValueTask<Caller> ContactBySourceIdAsync(IStoreReader reader, string inboxIdentifier, string sourceId)
    {
        var inbox = await ContactCredentials.FindInboxAsync(reader, inboxIdentifier);
        var contact = (sourceId.Length <= Validation.MaxSourceIdLength ? await reader.FindContactBySourceIdAsync(inbox.Id, sourceId) : null)
            ?? throw ChatException.NotFound("contact");
        if (!ContactMayAct(inbox, contact)) throw ChatException.Unauthorized("this inbox requires a verified contact");
        return Caller.ForContact(contact);
    }

    /// <summary>Whether the caller of a connection opened earlier may still act, by the same rules.</summary>
    public static async ValueTask<bool> StillValidAsync(IStoreReader reader, Caller caller)
    {
        if (caller is { IsAgent: true, SessionHash: { } sessionHash })
            return await reader.GetAgentAsync(caller.Id) is { DeactivatedAt: null }
                && Accounts.AgentSessions.IsLive(await reader.FindAgentSecretAsync(sessionHash), caller.Id);
        if (caller.IsAgent)
            return await reader.GetAgentAsync(caller.Id) is { } agent && AgentMayAct(agent, caller.CredentialHash)
                && Tokens.FixedTimeEquals(agent.PubsubToken, caller.PubsubToken);
        if (!caller.IsContact) return false;
        return await reader.GetContactAsync(caller.Id) is { } contact && Tokens.FixedTimeEquals(contact.PubsubToken, caller.PubsubToken)
            && await reader.GetInboxAsync(contact.InboxId) is { } inbox && ContactMayAct(inbox, contact);
    }
}
