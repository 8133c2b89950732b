using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Cable;

/// <summary><c>presence.update</c> pushed live on /cable (CablePresence): when an agent's effective availability
/// changes (connects, chooses busy, is gone after the grace), a contact's subscription hears its inbox's list and an
/// agent's subscription the account's, without asking (no <c>update_presence</c> is sent in these tests).</summary>
public sealed class CablePresenceTests
{
    private static readonly Dictionary<string, string?> ShortGrace = new() { ["Presence:Grace"] = "00:00:01" };

    /// <summary>The users of a presence.update frame, by id.</summary>
    private static Dictionary<string, string?> Users(JsonElement frame) =>
        frame.GetProperty("message").GetProperty("data").GetProperty("users").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

    /// <summary>Waits for a presence.update, among the frames from <paramref name="from"/> on, that says exactly
    /// <paramref name="expected"/>; answers its index.</summary>
    private static async Task<int> PresenceSaying(RawCable cable, int from, Dictionary<string, string?> expected)
    {
        bool Says(JsonElement f) => IsPresence(f) && Users(f) is var users && users.Count == expected.Count
                                    && expected.All(e => users.TryGetValue(e.Key, out var v) && v == e.Value);
        await cable.WaitFor(_ => cable.Frames.Skip(from).Any(Says), $"a presence.update saying {JsonSerializer.Serialize(expected)}");
        return cable.Frames.Select((f, i) => (f, i)).Skip(from).First(x => Says(x.f)).i;
    }

    [Fact]
    public async Task A_contacts_subscription_hears_its_inboxs_agents_come_change_and_go()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortGrace);
        var contact = await server.CreateContact("Ann");
        var bob = await server.CreateAgent("Bob"); // a member of inbox 1, Ann's
        var elsewhere = await server.CreateInbox("Elsewhere");
        var carl = await server.CreateAgent("Carl", inboxId: elsewhere.Id);

        await using var cable = await RawCable.ConnectAsync(server);
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifier);
        var first = await cable.WaitForBroadcast(identifier, "presence.update");
        Assert.Empty(Users(first)); // nobody connected

        var bobId = bob.Id.ToString();
        var seen = cable.Frames.Count;
        await using (var bobHub = await HubSession.ConnectAsync(server, bob.AccessToken!))
        {
            await bobHub.Hub.SetAvailabilityAsync(Availabilities.Online);
            seen = await PresenceSaying(cable, seen, new() { [bobId] = "online" }) + 1;
            await bobHub.Hub.SetAvailabilityAsync(Availabilities.Busy);
            seen = await PresenceSaying(cable, seen, new() { [bobId] = "busy" }) + 1;

            // An agent of another inbox is not on Ann's list: Carl coming online is not pushed to her, as this later
            // change, which must come after it, proves.
            await using var carlHub = await HubSession.ConnectAsync(server, carl.AccessToken!);
            await carlHub.Hub.SetAvailabilityAsync(Availabilities.Online);
            await bobHub.Hub.SetAvailabilityAsync(Availabilities.Online);
            seen = await PresenceSaying(cable, seen, new() { [bobId] = "online" }) + 1;
            Assert.DoesNotContain(cable.Frames.Where(IsPresence), f => Users(f).ContainsKey(carl.Id.ToString()));
        }
        // Bob's connection closed: after the grace he is offline, and Ann hears so.
        await PresenceSaying(cable, seen, []);
    }

    [Fact]
    public async Task An_agents_subscription_hears_a_colleague_come_online_and_go()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortGrace);
        var sam = await server.CreateAgent("Sam");
        var bob = await server.CreateAgent("Bob");
        var (cable, identifier) = await RawCable.SubscribeAgentAsync(server, sam.AccessToken!);
        await using var _ = cable;
        var bobId = bob.Id.ToString();
        var seen = cable.Frames.Count;

        await using (var bobHub = await HubSession.ConnectAsync(server, bob.AccessToken!))
        {
            await bobHub.Hub.SetAvailabilityAsync(Availabilities.Online);
            var online = await cable.WaitForBroadcast(identifier, "presence.update",
                data => data.GetProperty("users").TryGetProperty(bobId, out var v) && v.GetString() == "online");
            Assert.Equal(JsonValueKind.Object, online.GetProperty("message").GetProperty("data").GetProperty("contacts").ValueKind);
            seen = cable.Frames.Select((f, i) => (f, i)).Skip(seen).First(x => IsPresence(x.f) && Users(x.f).ContainsKey(bobId)).i + 1;
        }
        await cable.WaitFor(_ => cable.Frames.Skip(seen).Any(g => IsPresence(g) && !Users(g).ContainsKey(bobId)),
            "a presence.update without Bob after his grace");
    }

    private static bool IsPresence(JsonElement frame) =>
        frame.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object && m.GetProperty("event").GetString() == "presence.update";
}
