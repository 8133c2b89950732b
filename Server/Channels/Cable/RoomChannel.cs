using System.Text.Json;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Chatwoot's <c>RoomChannel</c> (<c>app/channels/room_channel.rb</c>): who may subscribe with which
/// identifier, and what <c>presence.update</c> says. A contact subscribes with its pubsub token, valid by
/// <see cref="CredentialRules"/> as on every channel; the streams it then hears are the connection admission's
/// (Application/Connections). Agents use the hub (<c>/hubs/chat</c>), so an agent's token is refused here as an
/// unknown one is.</summary>
public sealed class RoomChannel(IChatStore store)
{
    public const string Name = "RoomChannel";

    /// <summary>The contact an identifier (<c>{"channel":"RoomChannel","pubsub_token":"..."}</c> as a JSON string)
    /// subscribes as, or null when it names another channel or no contact that may act.</summary>
    public async Task<Caller?> AuthenticateAsync(string identifier) =>
        PubsubTokenOf(identifier) is { } token ? await store.ReadAsync(reader => CredentialRules.ContactByTokenAsync(reader, token)) : null;

    /// <summary>The <c>presence.update</c> message for a subscription: the inbox's agents who are not offline.</summary>
    public Task<string> PresenceAsync(long inboxId) => store.ReadAsync(async reader =>
    {
        var agents = new List<AgentRow>();
        foreach (var id in await reader.MembersOfAsync(inboxId))
            if (await reader.GetAgentAsync(id) is { } agent) agents.Add(agent);
        return ChatwootPayloads.Presence(agents);
    });

    private static string? PubsubTokenOf(string identifier)
    {
        try
        {
            using var doc = JsonDocument.Parse(identifier);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && root.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.String && channel.GetString() == Name
                   && root.TryGetProperty("pubsub_token", out var token) && token.ValueKind == JsonValueKind.String
                   && token.GetString() is { Length: > 0 and <= CredentialRules.MaxTokenLength } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
