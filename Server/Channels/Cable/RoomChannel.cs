using System.Globalization;
using System.Text.Json;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Common;
using ChatHub.Server.Features.SneakPeek;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Chatwoot's <c>RoomChannel</c> (<c>app/channels/room_channel.rb</c>): who may subscribe with which
/// identifier, and what <c>presence.update</c> says. A contact subscribes with its pubsub token; an agent (Chatwoot's
/// dashboard and mobile app) with its own pubsub token, its <c>user_id</c> and the <c>account_id</c>. Both are valid by
/// <see cref="CredentialRules"/> as on every channel; the streams a subscription then hears are the connection
/// admission's (Application/Connections), the same as the agent's or contact's hub connection.</summary>
public sealed class RoomChannel(IChatStore store, AgentPresence presence, Dispatcher use, ILogger<RoomChannel> logger)
{
    public const string Name = "RoomChannel";

    /// <summary>ChatHub's own action (Chatwoot's RoomChannel has only update_presence): a contact's sneak peek.</summary>
    public const string SneakPeekAction = "sneak_peek";

    /// <summary>The contact or agent an identifier (<c>{"channel":"RoomChannel","pubsub_token":"...","user_id":..,
    /// "account_id":..}</c> as a JSON string) subscribes as, or null when it names another channel, another account, or
    /// nobody who may act.</summary>
    public async Task<Caller?> AuthenticateAsync(string identifier)
    {
        if (Parse(identifier) is not { } wanted) return null;
        return await store.ReadAsync(async reader => wanted.UserId is { } userId
            ? await CredentialRules.AgentByPubsubTokenAsync(reader, userId, wanted.PubsubToken)
            : await CredentialRules.ContactByTokenAsync(reader, wanted.PubsubToken));
    }

    /// <summary>The <c>presence.update</c> message for a subscription (RoomChannel#broadcast_presence): for a contact,
    /// its inbox's agents who are not offline; for an agent, the account's agents who are not offline, and
    /// <c>contacts</c> (ChatHub does not track contacts' presence: always empty).</summary>
    public Task<string> PresenceAsync(Caller caller) => store.ReadAsync(reader => caller.IsAgent
        ? AgentsPresenceAsync(reader, presence.Connected)
        : InboxPresenceAsync(reader, caller.ContactInboxId!.Value, presence.Connected));

    /// <summary>The agents' <c>presence.update</c>: every active agent who is not offline (as everyone sees them: not
    /// connected is offline, <see cref="AgentPresence"/>).</summary>
    public static async ValueTask<string> AgentsPresenceAsync(IStoreReader reader, IReadOnlySet<long> connected)
    {
        var agents = (await reader.ListAgentsAsync()).Where(a => a.DeactivatedAt is null);
        return ChatwootPayloads.Presence(agents.Select(a => (a.Id, AgentPresence.EffectiveOf(a, connected))), withContacts: true);
    }

    /// <summary>An inbox's contacts' <c>presence.update</c>: the inbox's agents who are not offline.</summary>
    public static async ValueTask<string> InboxPresenceAsync(IStoreReader reader, long inboxId, IReadOnlySet<long> connected)
    {
        var agents = new List<AgentRow>();
        foreach (var id in await reader.MembersOfAsync(inboxId))
            if (await reader.GetAgentAsync(id) is { } agent) agents.Add(agent);
        return ChatwootPayloads.Presence(agents.Select(a => (a.Id, AgentPresence.EffectiveOf(a, connected))));
    }

    /// <summary>Sneak peek over /cable (issue 27): a contact's subscription performs <c>{"action":"sneak_peek",
    /// "conversation_id":1,"text":"..."}</c> (<c>data</c> a JSON string, as the official client sends it, or an object),
    /// the same use case as the hub's SendSneakPeek. ActionCable has no answer to a perform, so a refused one (an agent,
    /// another's conversation, too long) is dropped.</summary>
    public async Task SneakPeekAsync(Caller caller, JsonElement data)
    {
        long? conversationId = null;
        string? text = null;
        try
        {
            using var doc = data.ValueKind == JsonValueKind.String ? JsonDocument.Parse(data.GetString()!) : null;
            var root = doc?.RootElement ?? data;
            if (root.ValueKind != JsonValueKind.Object) return;
            if (root.TryGetProperty("conversation_id", out var id)) conversationId = IdOf(id);
            if (root.TryGetProperty("text", out var t))
            {
                if (t.ValueKind == JsonValueKind.String) text = t.GetString();
                else if (t.ValueKind != JsonValueKind.Null) return;
            }
        }
        catch (JsonException)
        {
            return;
        }
        if (conversationId is null) return;
        try { await use.AskAsync<SendSneakPeek, Done>(caller, new SendSneakPeek(conversationId.Value, text)); }
        catch (ChatException ex) { logger.LogDebug("/cable sneak peek dropped: {Code}", ex.Code); }
    }

    private sealed record Wanted(string PubsubToken, long? UserId);

    private static Wanted? Parse(string identifier)
    {
        try
        {
            using var doc = JsonDocument.Parse(identifier);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("channel", out var channel) || channel.ValueKind != JsonValueKind.String || channel.GetString() != Name
                || !root.TryGetProperty("pubsub_token", out var token) || token.ValueKind != JsonValueKind.String
                || token.GetString() is not { Length: > 0 and <= CredentialRules.MaxTokenLength } pubsubToken)
                return null;
            // Chatwoot finds the user's account among its own (accounts.find): ChatHub is one account.
            if (root.TryGetProperty("account_id", out var account) && account.ValueKind != JsonValueKind.Null
                && IdOf(account) != ChatwootAccount.Id)
                return null;
            if (!root.TryGetProperty("user_id", out var user) || user.ValueKind == JsonValueKind.Null
                || user.ValueKind == JsonValueKind.String && user.GetString() == "")
                return new Wanted(pubsubToken, null);
            return IdOf(user) is { } userId ? new Wanted(pubsubToken, userId) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An id as a number or, as Rails params allow, a string of digits.</summary>
    private static long? IdOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) && n > 0 => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        _ => null,
    };
}
