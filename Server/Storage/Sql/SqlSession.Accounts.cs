using static ChatHub.Server.Storage.Sql.AccountStatements;

namespace ChatHub.Server.Storage.Sql;

/// <summary>The statements of agents' accounts (issue 24): passwords, names, avatars, sessions and one-time links.</summary>
internal static class AccountStatements
{
    public static readonly SqlTable<AgentSecretRow> Secrets = new("agent_secrets");
    public static readonly SqlTable<AgentAvatarRow> Avatars = new("agent_avatars");

    public static readonly string FindSecret = $"{Secrets.Select} WHERE token_hash = @hash";
    public static readonly string ListSecrets = $"{Secrets.Select} WHERE agent_id = @agentId AND purpose = @purpose ORDER BY id";
    public static readonly string InsertSecret = Secrets.Insert();
    public const string TouchSecret = "UPDATE agent_secrets SET last_used_at = @lastUsedAt, expires_at = @expiresAt WHERE id = @id";
    public const string DeleteSecret = "DELETE FROM agent_secrets WHERE id = @id";
    public const string DeleteSecrets = "DELETE FROM agent_secrets WHERE agent_id = @agentId AND purpose = @purpose";
    public const string DeleteExpiredSecrets = DeleteSecrets + " AND expires_at <= @expiredBy";

    public static readonly string FindAvatar = $"{Avatars.Select} WHERE token = @token";
    public static readonly string InsertAvatar = Avatars.Insert();
    public const string DeleteAvatarsOf = "DELETE FROM agent_avatars WHERE agent_id = @agentId";
    public const string SetAvatarToken = "UPDATE agents SET avatar_token = @value WHERE id = @agentId";
    public const string SetPassword = "UPDATE agents SET password_hash = @value WHERE id = @agentId";
    public const string SetNames = "UPDATE agents SET name = @name, display_name = @displayName WHERE id = @agentId";
}

internal sealed partial class SqlSession
{
    public ValueTask<AgentSecretRow?> FindAgentSecretAsync(string tokenHash) => One(FindSecret, Secrets.Read, ("@hash", tokenHash));
    public async ValueTask<IReadOnlyList<AgentSecretRow>> ListAgentSecretsAsync(long agentId, string purpose) =>
        await Many(ListSecrets, Secrets.Read, ("@agentId", agentId), ("@purpose", purpose));
    public ValueTask<AgentAvatarRow?> FindAgentAvatarAsync(string token) => One(FindAvatar, Avatars.Read, ("@token", token));

    public ValueTask SetAgentPasswordAsync(long agentId, string? passwordHash) => SetAgent(SetPassword, agentId, passwordHash);

    public async ValueTask SetAgentNamesAsync(long agentId, string name, string? displayName)
    {
        Writer();
        await Execute(SetNames, ("@agentId", agentId), ("@name", name), ("@displayName", displayName));
    }

    public async ValueTask SetAgentAvatarAsync(long agentId, AgentAvatarRow? avatar)
    {
        Writer();
        await Execute(DeleteAvatarsOf, ("@agentId", agentId));
        if (avatar is not null)
        {
            avatar.AgentId = agentId;
            avatar.Id = await Insert(InsertAvatar, Avatars.InsertArgs(avatar));
        }
        await Execute(SetAvatarToken, ("@agentId", agentId), ("@value", avatar?.Token));
    }

    public ValueTask<long> InsertAgentSecretAsync(AgentSecretRow secret) => Insert(InsertSecret, Secrets.InsertArgs(secret));

    public async ValueTask TouchAgentSecretAsync(long id, long lastUsedAt, long expiresAt)
    {
        Writer();
        await Execute(TouchSecret, ("@id", id), ("@lastUsedAt", lastUsedAt), ("@expiresAt", expiresAt));
    }

    public async ValueTask<bool> DeleteAgentSecretAsync(long id)
    {
        Writer();
        return await Execute(DeleteSecret, ("@id", id)) > 0;
    }

    public async ValueTask<int> DeleteAgentSecretsAsync(long agentId, string purpose, long? expiredBy = null)
    {
        Writer();
        return expiredBy is { } by
            ? await Execute(DeleteExpiredSecrets, ("@agentId", agentId), ("@purpose", purpose), ("@expiredBy", by))
            : await Execute(DeleteSecrets, ("@agentId", agentId), ("@purpose", purpose));
    }
}
