using System.Text.Json;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Sinks.Cable;

/// <summary>A subscription a /cable socket asked for and may have: the streams it listens to and the inbox whose
/// agents' presence it is shown.</summary>
public sealed record RoomSubscription(IReadOnlyList<string> Streams, long InboxId);

/// <summary>Chatwoot's <c>RoomChannel</c> (<c>app/channels/room_channel.rb</c>): who may subscribe with which
/// identifier, and what <c>presence.update</c> says. A contact subscribes with its pubsub token and listens to the
/// streams <see cref="Application.Events.Streams"/> gives it. Agents use the hub (<c>/hubs/chat</c>), so an agent's
/// token is refused here as an unknown one is.</summary>
public sealed class RoomChannel(IChatStore store)
{
    public const string Name = "RoomChannel";
    private const int MaxTokenLength = 128;

    /// <summary>The subscription for an identifier (<c>{"channel":"RoomChannel","pubsub_token":"..."}</c> as a JSON
    /// string), or null when it names another channel or no contact's token.</summary>
    public async Task<RoomSubscription?> SubscribeAsync(string identifier)
    {
        if (PubsubTokenOf(identifier) is not { } token) return null;
        var hash = Tokens.LookupHash(token);
        return await store.ReadAsync<RoomSubscription?>(async reader =>
        {
            var contact = await reader.FindContactByTokenHashAsync(hash);
            if (contact is null || !Tokens.FixedTimeEquals(contact.PubsubToken, token)) return null;
            return new RoomSubscription(await Streams.OfAsync(reader, Caller.ForContact(contact)), contact.InboxId);
        });
    }

    /// <summary>The <c>presence.update</c> message for a subscription: the inbox's agents who are not offline.</summary>
    public Task<string> PresenceAsync(RoomSubscription subscription) => store.ReadAsync(async reader =>
    {
        var agents = new List<AgentRow>();
        foreach (var id in await reader.MembersOfAsync(subscription.InboxId))
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
                   && token.GetString() is { Length: > 0 and <= MaxTokenLength } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
