using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Agents' accounts on LiteDB (issue 24): passwords and names are fields of the agent's document; sessions and
/// links are found by their token hash (unique) or by agent|purpose; an avatar by its token or its agent.</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> SecretRows => db.GetCollection(AgentSecrets);
    private ILiteCollection<BsonDocument> AvatarRows => db.GetCollection(AgentAvatars);

    private AgentSecretRow? FindAgentSecret(string hash) =>
        Equal(SecretRows, SecretTokenHash, hash).Select(ToAgentSecret).FirstOrDefault(s => s.TokenHash == hash);

    private IReadOnlyList<AgentSecretRow> ListAgentSecrets(long agentId, string purpose)
    {
        var key = Key.Of(agentId, purpose);
        return Equal(SecretRows, SecretOfAgent, key).Select(ToAgentSecret).Where(s => s.AgentId == agentId && s.Purpose == purpose)
            .OrderBy(s => s.Id).ToList();
    }

    private AgentAvatarRow? FindAgentAvatar(string token) =>
        Equal(AvatarRows, AvatarToken, token).Select(ToAgentAvatar).FirstOrDefault(a => a.Token == token);

    private void SetAgentField(long agentId, string field, BsonValue value)
    {
        _ = Ids;
        if (_agents.FindById(agentId) is not { } agent) return;
        agent[field] = value;
        Writes.Update(_agents, agent);
    }

    private static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private void SetAgentAvatar(long agentId, AgentAvatarRow? avatar)
    {
        _ = Ids;
        foreach (var old in AvatarRows.Find(Query.EQ(AvatarOfAgent, agentId)).ToList()) Writes.Delete(AvatarRows, old["_id"]);
        if (avatar is not null)
        {
            avatar.AgentId = agentId;
            avatar.Id = Insert(AvatarRows, WithId(ToDocument(avatar), Ids.Next(AgentAvatars)));
        }
        SetAgentField(agentId, "avatar_token", Text(avatar?.Token));
    }

    private void TouchAgentSecret(long id, long lastUsedAt, long expiresAt)
    {
        _ = Ids;
        if (SecretRows.FindById(id) is not { } document) return;
        var secret = ToAgentSecret(document);
        (secret.LastUsedAt, secret.ExpiresAt) = (lastUsedAt, expiresAt);
        Writes.Update(SecretRows, ToDocument(secret));
    }

    private int DeleteAgentSecrets(long agentId, string purpose, long? expiredBy)
    {
        _ = Ids;
        var doomed = ListAgentSecrets(agentId, purpose).Where(s => expiredBy is null || s.ExpiresAt <= expiredBy).ToList();
        foreach (var secret in doomed) Writes.Delete(SecretRows, secret.Id);
        return doomed.Count;
    }

    public ValueTask<AgentSecretRow?> FindAgentSecretAsync(string tokenHash) => new(FindAgentSecret(tokenHash));
    public ValueTask<IReadOnlyList<AgentSecretRow>> ListAgentSecretsAsync(long agentId, string purpose) => new(ListAgentSecrets(agentId, purpose));
    public ValueTask<AgentAvatarRow?> FindAgentAvatarAsync(string token) => new(FindAgentAvatar(token));
    public ValueTask SetAgentPasswordAsync(long agentId, string? passwordHash) { SetAgentField(agentId, "password_hash", Text(passwordHash)); return default; }

    public ValueTask SetAgentNamesAsync(long agentId, string name, string? displayName)
    {
        SetAgentField(agentId, "name", name);
        SetAgentField(agentId, "display_name", Text(displayName));
        return default;
    }

    public ValueTask SetAgentAvatarAsync(long agentId, AgentAvatarRow? avatar) { SetAgentAvatar(agentId, avatar); return default; }
    public ValueTask<long> InsertAgentSecretAsync(AgentSecretRow secret) =>
        new(secret.Id = Insert(SecretRows, WithId(ToDocument(secret), Ids.Next(AgentSecrets))));
    public ValueTask TouchAgentSecretAsync(long id, long lastUsedAt, long expiresAt) { TouchAgentSecret(id, lastUsedAt, expiresAt); return default; }
    public ValueTask<bool> DeleteAgentSecretAsync(long id)
    {
        _ = Ids;
        return new(Writes.Delete(SecretRows, id));
    }
    public ValueTask<int> DeleteAgentSecretsAsync(long agentId, string purpose, long? expiredBy = null) => new(DeleteAgentSecrets(agentId, purpose, expiredBy));
}
