using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.ScaleOut;
using Xunit;

namespace ChatHub.Server.Tests.Cable;

/// <summary>/cable as Chatwoot's guide and client-api-demo use it: a plain WebSocket offering no subprotocol, a
/// contact created over REST, RoomChannel subscribed with its pubsub_token, messages sent over REST.</summary>
public sealed class RawCableTests
{
    [Fact, Trait("Run", "EveryStore")]
    public async Task The_guides_snippet_on_one_node() => await GuideFlow(null);

    [Fact, Trait("Run", "EveryStore"), Trait("Store", "SharedDatabase")] // two nodes on one database: not on LiteDB (one process per file)
    public async Task The_guides_snippet_on_node_A_with_the_agent_on_node_B()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await GuideFlow(nodes);
    }

    private static async Task GuideFlow(TwoNodes? nodes)
    {
        await using var single = nodes is null ? await ChatServer.StartAsync() : null;
        var customerNode = nodes?.A ?? single!;
        var agentNode = nodes?.B ?? single!;
        using var agent = agentNode.AgentHttp(agentNode.AgentToken);
        var contact = await customerNode.CreateContact("Ann");
        await using var cable = await RawCable.ConnectAsync(customerNode);
        Assert.Null(cable.SubProtocol);

        // Spaces and key order as a hand-written client may send them: echoed verbatim, matched by string equality.
        var identifier = $"{{ \"pubsub_token\": \"{contact.PubsubToken}\", \"channel\": \"RoomChannel\" }}";
        // Sent before welcome is read, and repeated (the official client re-sends until confirmed).
        await cable.Subscribe(identifier);
        await cable.Subscribe(identifier);
        await cable.SendAsync(new { command = "message", identifier, data = JsonSerializer.Serialize(new { action = "update_presence" }) });

        var welcome = await cable.WaitFor(f => f.TryGetProperty("type", out _), "welcome");
        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        var confirm = await cable.WaitFor(f => Type(f) == "confirm_subscription", "confirm_subscription");
        Assert.Equal(identifier, confirm.GetProperty("identifier").GetString());
        // Commands are handled in order: the second presence answers the message sent after the repeated subscribe.
        await cable.WaitFor(f => cable.Frames.Count(IsPresence) >= 2, "the presence.update of update_presence");
        Assert.Single(cable.Frames, f => Type(f) == "confirm_subscription");
        var presence = cable.Frames.First(IsPresence).GetProperty("message").GetProperty("data");
        Assert.Equal(1, presence.GetProperty("account_id").GetInt64());
        Assert.Equal(JsonValueKind.Object, presence.GetProperty("users").ValueKind);

        var conversation = await customerNode.StartConversation(contact);
        var messages = $"{customerNode.ClientApi}/contacts/{contact.SourceId}/conversations/{conversation.Id}/messages";
        (await customerNode.Http.PostJson(messages, new { content = "Hello", echo_id = "demo-1" })).EnsureSuccessStatusCode();
        var own = (await cable.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("echo_id").GetString() == "demo-1"))
            .GetProperty("message").GetProperty("data");
        Assert.Equal(0, own.GetProperty("message_type").GetInt32());
        Assert.Equal("Contact", own.GetProperty("sender_type").GetString());
        Assert.Equal(conversation.Id, own.GetProperty("conversation_id").GetInt64());

        var note = await agent.PostRead<MessageDto>($"/api/v1/conversations/{conversation.Id}/messages", new { content = "internal", @private = true });
        var reply = await agent.PostRead<MessageDto>($"/api/v1/conversations/{conversation.Id}/messages", new { content = "Hi Ann" });
        var replied = (await cable.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("id").GetInt64() == reply.Id))
            .GetProperty("message").GetProperty("data");
        Assert.Equal(1, replied.GetProperty("message_type").GetInt32());
        Assert.Equal("user", replied.GetProperty("sender").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(replied.GetProperty("sender").GetProperty("name").GetString()));
        Assert.DoesNotContain(cable.Frames, f => f.GetRawText().Contains($"\"id\":{note.Id},"));

        // Seen markers are a conversation.updated; a status change is a conversation.status_changed (and only that).
        (await agent.PostJson($"/api/v1/conversations/{conversation.Id}/update_last_seen", new { })).EnsureSuccessStatusCode();
        var seen = (await cable.WaitForBroadcast(identifier, "conversation.updated")).GetProperty("message").GetProperty("data");
        Assert.True(seen.GetProperty("agent_last_seen_at").GetInt64() > 0);
        (await agent.PostJson($"/api/v1/conversations/{conversation.Id}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();
        var resolved = (await cable.WaitForBroadcast(identifier, "conversation.status_changed")).GetProperty("message").GetProperty("data");
        Assert.Equal(("resolved", conversation.Id), (resolved.GetProperty("status").GetString(), resolved.GetProperty("id").GetInt64()));
        Assert.Single(cable.Frames, f => f.GetRawText().Contains("conversation.updated"));

        // The raw frame: identifier as sent, message an object (not a string), as Rails writes it.
        var frame = cable.Frames.Last(f => f.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object);
        Assert.Equal(["identifier", "message"], frame.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task The_official_clients_subprotocol_is_selected_and_update_presence_may_carry_an_object()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        await using var cable = await RawCable.ConnectAsync(server, "actioncable-v1-json", "actioncable-unsupported");
        Assert.Equal("actioncable-v1-json", cable.SubProtocol);
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifier);
        await cable.WaitFor(f => Type(f) == "confirm_subscription", "confirm_subscription");
        await cable.SendAsync(new { command = "message", identifier, data = new { action = "update_presence" } }); // the Flutter SDK's form
        await cable.WaitFor(_ => cable.Frames.Count(IsPresence) >= 2, "the presence.update of update_presence");
    }

    [Fact]
    public async Task Presence_lists_the_inboxs_agents_who_are_not_offline()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        var busy = await server.CreateAgent("Bea");
        await server.CreateAgent("Carl"); // offline: not listed
        using var adminHttp = server.AgentHttp(server.AgentToken);
        var admin = await adminHttp.GetRead<AgentDto>("/api/v1/profile");
        await using var adminHub = await HubSession.ConnectAsync(server, server.AgentToken);
        await adminHub.Hub.SetAvailabilityAsync(Availabilities.Online);
        await using var beaHub = await HubSession.ConnectAsync(server, busy.AccessToken!);
        await beaHub.Hub.SetAvailabilityAsync(Availabilities.Busy);

        await using var cable = await RawCable.ConnectAsync(server);
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifier);
        var presence = (await cable.WaitForBroadcast(identifier, "presence.update")).GetProperty("message").GetProperty("data");
        var users = presence.GetProperty("users").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { [admin.Id.ToString()] = "online", [busy.Id.ToString()] = "busy" }, users);
    }

    [Fact]
    public async Task An_unknown_token_is_rejected_and_receives_nothing()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        await using var cable = await RawCable.ConnectAsync(server);
        var unknown = RawCable.Identifier("no-such-token");
        string[] refused = [unknown, "{\"channel\":\"OtherChannel\",\"pubsub_token\":\"" + contact.PubsubToken + "\"}", "not json", RawCable.Identifier(server.AgentToken)];
        foreach (var identifier in refused) await cable.Subscribe(identifier);
        foreach (var identifier in refused)
            await cable.WaitFor(f => Type(f) == "reject_subscription" && f.GetProperty("identifier").GetString() == identifier, $"reject of {identifier}");

        // A valid subscription on the same socket, then an event on its stream: by the time it arrives, nothing but the
        // rejections went to the refused identifiers.
        var identifierOfAnn = RawCable.Identifier(contact.PubsubToken);
        await cable.Subscribe(identifierOfAnn);
        await cable.WaitFor(f => Type(f) == "confirm_subscription", "confirm_subscription");
        await server.StartConversation(contact, "hello");
        await cable.WaitForBroadcast(identifierOfAnn, "message.created");
        Assert.All(cable.Frames.Where(f => f.TryGetProperty("identifier", out var id) && refused.Contains(id.GetString())),
            f => Assert.Equal("reject_subscription", Type(f)));
        Assert.DoesNotContain(cable.Frames, f => Type(f) == "confirm_subscription" && f.GetProperty("identifier").GetString() != identifierOfAnn);
    }

    [Fact]
    public async Task A_socket_holds_a_bounded_number_of_subscriptions()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        await using var cable = await RawCable.ConnectAsync(server);
        // The same token under identifiers that differ in spacing: each is its own subscription, as in ActionCable.
        var identifiers = Enumerable.Range(0, 10).Select(i => $"{{\"channel\":\"RoomChannel\",{new string(' ', i)}\"pubsub_token\":\"{contact.PubsubToken}\"}}").ToList();
        foreach (var identifier in identifiers) await cable.Subscribe(identifier);
        await cable.WaitFor(f => f.TryGetProperty("identifier", out var id) && id.GetString() == identifiers[^1] && Type(f) is not null, "the last answer");
        Assert.True(cable.Frames.Count(f => Type(f) == "confirm_subscription") == 8, cable.Dump());
        Assert.Equal(identifiers[8..], cable.Frames.Where(f => Type(f) == "reject_subscription").Select(f => f.GetProperty("identifier").GetString()));
    }

    [Fact]
    public async Task After_unsubscribe_the_stream_is_no_longer_delivered()
    {
        await using var server = await ChatServer.StartAsync();
        var ann = await server.CreateContact("Ann");
        var bob = await server.CreateContact("Bob");
        await using var cable = await RawCable.ConnectAsync(server);
        var (identifierOfAnn, identifierOfBob) = (RawCable.Identifier(ann.PubsubToken), RawCable.Identifier(bob.PubsubToken));
        await cable.Subscribe(identifierOfAnn);
        await cable.SendAsync(new { command = "unsubscribe", identifier = identifierOfAnn });
        await cable.Subscribe(identifierOfBob);
        await cable.WaitFor(f => Type(f) == "confirm_subscription" && f.GetProperty("identifier").GetString() == identifierOfBob, "Bob's confirmation");

        await server.StartConversation(ann, "from Ann");
        await server.StartConversation(bob, "from Bob");
        await cable.WaitForBroadcast(identifierOfBob, "message.created");
        Assert.DoesNotContain(cable.Frames, f => f.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
                                                 && m.GetRawText().Contains("from Ann"));
    }

    [Fact]
    public async Task Shutdown_tells_the_client_to_reconnect()
    {
        var server = await ChatServer.StartAsync();
        await using var cable = await RawCable.ConnectAsync(server);
        await cable.WaitFor(f => Type(f) == "welcome", "welcome");
        var stopping = server.DisposeAsync();
        var disconnect = await cable.WaitFor(f => Type(f) == "disconnect", "disconnect");
        Assert.Equal("server_restart", disconnect.GetProperty("reason").GetString());
        Assert.True(disconnect.GetProperty("reconnect").GetBoolean());
        await stopping;
    }

    [Fact]
    public async Task A_frame_over_the_hub_message_limit_closes_the_socket()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Limits:MaxHubMessageBytes"] = "1024" });
        await using var cable = await RawCable.ConnectAsync(server);
        await cable.SendTextAsync(new string(' ', 2048));
        await cable.WaitClosed();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, cable.CloseStatus);
    }

    [Fact]
    public async Task Commands_over_the_connections_budget_are_dropped()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = ChatServer.RateLimitsOn.Value,
            ["Limits:CableCommandsPerMinute"] = "2",
        });
        var contact = await server.CreateContact("Ann");
        await using var cable = await RawCable.ConnectAsync(server);
        var identifier = RawCable.Identifier(contact.PubsubToken);
        var updatePresence = new { command = "message", identifier, data = "{\"action\":\"update_presence\"}" };
        await cable.Subscribe(identifier);     // 1: confirmed, with a presence.update
        await cable.SendAsync(updatePresence); // 2: a presence.update
        await cable.SendAsync(updatePresence); // over the budget: dropped
        await cable.WaitFor(_ => cable.Frames.Count(IsPresence) >= 2, "two presence.update");

        // A later broadcast on the stream arrives while the third presence.update never came.
        await server.StartConversation(contact, "hello");
        await cable.WaitForBroadcast(identifier, "message.created");
        Assert.Equal(2, cable.Frames.Count(IsPresence));
    }

    [Fact]
    public async Task A_socket_that_stops_reading_is_closed_and_holds_up_no_other_device()
    {
        // 12 MB of broadcasts: far more than the kernel's socket buffers plus the default 1 MiB of unsent bytes a
        // socket may have, so the stalled socket must go; a reading device, even on a busy machine, stays far below.
        const int count = 1500;
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await using var stalled = await RawCable.ConnectSmallAsync(server);
        await using var reading = await RawCable.ConnectAsync(server);
        foreach (var cable in new[] { stalled, reading })
        {
            await cable.Subscribe(identifier);
            await cable.WaitForBroadcast(identifier, "presence.update");
        }
        stalled.StopReading();

        var conversation = await server.StartConversation(contact);
        using var agent = server.AgentHttp(server.AgentToken);
        var content = new string('x', 8 * 1024);
        for (var i = 0; i < count; i++)
            (await agent.PostJson($"/api/v1/conversations/{conversation.Id}/messages", new { content, echo_id = $"m-{i}" })).EnsureSuccessStatusCode();

        // The reading device gets every message, in order; the stalled one was closed on the way.
        await reading.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("echo_id").GetString() == $"m-{count - 1}");
        Assert.Equal(count, reading.Frames.Count(f => f.GetRawText().Contains("message.created")));
        stalled.ResumeReading();
        await stalled.WaitClosed();
        Assert.True(stalled.Frames.Count(f => f.GetRawText().Contains("message.created")) < count);
    }

    [Fact]
    public async Task A_plain_http_request_is_refused()
    {
        await using var server = await ChatServer.StartAsync();
        var response = await server.Http.GetAsync("/cable");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string? Type(JsonElement frame) => frame.TryGetProperty("type", out var t) ? t.GetString() : null;

    private static bool IsPresence(JsonElement frame) =>
        frame.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object && m.GetProperty("event").GetString() == "presence.update";
}
