using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Agents' accounts (issue 24): passwords and names, sessions and one-time links found by their hash and
/// deleted once, avatars replaced and found by token.</summary>
public abstract partial class StoreConformanceTests
{
    private static AgentSecretRow NewSecret(long agentId, string purpose, long expiresAt) => new()
    {
        TokenHash = Unique("hash"), AgentId = agentId, Purpose = purpose, CreatedAt = T0, LastUsedAt = T0, ExpiresAt = expiresAt,
    };

    [Fact]
    public async Task An_agents_password_and_names_are_written_and_read_back()
    {
        var store = await FreshStoreAsync();
        var agentId = await store.WriteAsync(w => w.InsertAgentAsync(NewAgent()));
        Assert.Null((await store.ReadAsync(r => r.GetAgentAsync(agentId)))!.PasswordHash);

        await store.WriteAsync(async w => { await w.SetAgentPasswordAsync(agentId, "AQAAAAIAAYag-hash"); await w.SetAgentNamesAsync(agentId, "Ann Lee", "Ann"); return 0; });
        var agent = await store.ReadAsync(r => r.GetAgentAsync(agentId));
        Assert.Equal(("AQAAAAIAAYag-hash", "Ann Lee", "Ann"), (agent!.PasswordHash, agent.Name, agent.DisplayName));
        Assert.Equal("Ann Lee", (await store.ReadAsync(r => r.FindAgentByEmailAsync(agent.Email)))!.Name);

        await store.WriteAsync(async w => { await w.SetAgentPasswordAsync(agentId, null); await w.SetAgentNamesAsync(agentId, "Ann", null); return 0; });
        agent = await store.ReadAsync(r => r.GetAgentAsync(agentId));
        Assert.Equal((null, "Ann", null), (agent!.PasswordHash, agent.Name, agent.DisplayName));
    }

    [Fact]
    public async Task Agent_secrets_are_found_by_exact_hash_touched_listed_by_purpose_and_deleted_once()
    {
        var store = await FreshStoreAsync();
        var (ann, bob) = await store.WriteAsync(async w => (await w.InsertAgentAsync(NewAgent()), await w.InsertAgentAsync(NewAgent())));
        var session = NewSecret(ann, AgentSecretPurposes.Session, T0 + 1000);
        var old = NewSecret(ann, AgentSecretPurposes.Session, T0 + 10);
        var invitation = NewSecret(ann, AgentSecretPurposes.Invitation, T0 + 5000);
        var bobs = NewSecret(bob, AgentSecretPurposes.Session, T0 + 1000);
        await store.WriteAsync(async w =>
        {
            foreach (var s in new[] { session, old, invitation, bobs }) s.Id = await w.InsertAgentSecretAsync(s);
            return 0;
        });

        AssertRow(session, await store.ReadAsync(r => r.FindAgentSecretAsync(session.TokenHash)));
        Assert.Null(await store.ReadAsync(r => r.FindAgentSecretAsync(session.TokenHash.ToUpperInvariant())));
        Assert.Equal([session.Id, old.Id], (await store.ReadAsync(r => r.ListAgentSecretsAsync(ann, AgentSecretPurposes.Session))).Select(s => s.Id));
        Assert.Equal([invitation.Id], (await store.ReadAsync(r => r.ListAgentSecretsAsync(ann, AgentSecretPurposes.Invitation))).Select(s => s.Id));

        await store.WriteAsync(async w => { await w.TouchAgentSecretAsync(session.Id, T0 + 50, T0 + 2000); return 0; });
        (session.LastUsedAt, session.ExpiresAt) = (T0 + 50, T0 + 2000);
        AssertRow(session, await store.ReadAsync(r => r.FindAgentSecretAsync(session.TokenHash)));

        // Expired ones only, then all of one purpose of one agent: the invitation and Bob's session stay.
        Assert.Equal(1, await store.WriteAsync(w => w.DeleteAgentSecretsAsync(ann, AgentSecretPurposes.Session, T0 + 10)));
        Assert.Null(await store.ReadAsync(r => r.FindAgentSecretAsync(old.TokenHash)));
        Assert.Equal(1, await store.WriteAsync(w => w.DeleteAgentSecretsAsync(ann, AgentSecretPurposes.Session)));
        Assert.Null(await store.ReadAsync(r => r.FindAgentSecretAsync(session.TokenHash)));
        AssertRow(bobs, await store.ReadAsync(r => r.FindAgentSecretAsync(bobs.TokenHash)));

        // A one-time link: of two deletes, one wins.
        var first = store.WriteAsync(w => w.DeleteAgentSecretAsync(invitation.Id));
        var second = store.WriteAsync(w => w.DeleteAgentSecretAsync(invitation.Id));
        Assert.Equal([false, true], (await Task.WhenAll(first, second)).Order());
        Assert.Null(await store.ReadAsync(r => r.FindAgentSecretAsync(invitation.TokenHash)));
    }

    [Fact]
    public async Task An_agents_avatar_is_replaced_found_by_its_token_and_removed()
    {
        var store = await FreshStoreAsync();
        var agentId = await store.WriteAsync(w => w.InsertAgentAsync(NewAgent()));
        var first = new AgentAvatarRow { Token = Unique("avatar"), ContentType = "image/png", Data = "iVBORw0KGgo=", CreatedAt = T0 };
        var second = new AgentAvatarRow { Token = Unique("avatar"), ContentType = "image/jpeg", Data = "/9j/4AAQ", CreatedAt = T0 + 1 };

        await store.WriteAsync(async w => { await w.SetAgentAvatarAsync(agentId, first); return 0; });
        AssertRow(first, await store.ReadAsync(r => r.FindAgentAvatarAsync(first.Token)));
        Assert.Equal(agentId, first.AgentId);
        Assert.Equal(first.Token, (await store.ReadAsync(r => r.GetAgentAsync(agentId)))!.AvatarToken);

        await store.WriteAsync(async w => { await w.SetAgentAvatarAsync(agentId, second); return 0; });
        Assert.Null(await store.ReadAsync(r => r.FindAgentAvatarAsync(first.Token)));
        AssertRow(second, await store.ReadAsync(r => r.FindAgentAvatarAsync(second.Token)));
        Assert.Equal(second.Token, (await store.ReadAsync(r => r.GetAgentAsync(agentId)))!.AvatarToken);

        await store.WriteAsync(async w => { await w.SetAgentAvatarAsync(agentId, null); return 0; });
        Assert.Null(await store.ReadAsync(r => r.FindAgentAvatarAsync(second.Token)));
        Assert.Null((await store.ReadAsync(r => r.GetAgentAsync(agentId)))!.AvatarToken);
    }
}
