using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Cable;

/// <summary>An agent on /cable as Chatwoot's dashboard and mobile app subscribe (RoomChannel with the user's
/// pubsub_token, user_id and account_id, app/channels/room_channel.rb), over a plain WebSocket: it hears the events
/// of the inboxes it is a member of (app/listeners/action_cable_listener.rb), private notes included, and nothing of
/// another inbox. Revocation of an agent's subscription: Server.Tests/Connections/RevocationScenarios.cs.</summary>
public sealed class AgentCableTests
{
    [Fact, Trait("Run", "EveryStore")]
    public async Task An_agent_hears_its_inboxes_events_as_the_dashboard_does_and_nothing_of_another_inbox()
    {
        await using var server = await ChatServer.StartAsync();
        var sam = await server.CreateAgent("Sam"); // a member of inbox 1 only
        var elsewhere = await server.CreateInbox("Elsewhere"); // the administrator's, not Sam's
        var (cable, identifier) = await RawCable.SubscribeAgentAsync(server, sam.AccessToken!);
        await using var _ = cable;
        var presence = cable.Frames.First(f => Event(f) == "presence.update").GetProperty("message").GetProperty("data");
        Assert.Equal(1, presence.GetProperty("account_id").GetInt64());
        Assert.Equal(JsonValueKind.Object, presence.GetProperty("users").ValueKind);
        Assert.Equal(JsonValueKind.Object, presence.GetProperty("contacts").ValueKind); // the dashboard reads both

        var ann = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(ann, "Hello from Ann");
        var created = await Data(cable, identifier, "conversation.created", d => d.GetProperty("id").GetInt64() == conversation.Id);
        Assert.Equal((1L, 1L), (created.GetProperty("inbox_id").GetInt64(), created.GetProperty("account_id").GetInt64()));
        // The dashboard replaces its copy of the conversation with this data: meta.sender is the contact's push data.
        AssertSenderIsAnn(created, ann.Id);
        var customers = await Data(cable, identifier, "message.created", d => d.GetProperty("content").GetString() == "Hello from Ann");
        Assert.Equal((0, "Contact", conversation.Id), (customers.GetProperty("message_type").GetInt32(),
            customers.GetProperty("sender_type").GetString(), customers.GetProperty("conversation_id").GetInt64()));

        using var admin = server.AdminHttp();
        var path = $"/api/v1/accounts/1/conversations/{conversation.Id}";
        (await admin.PostJson($"{path}/messages", new { content = "note: VIP", @private = true })).EnsureSuccessStatusCode();
        var note = await Data(cable, identifier, "message.created", d => d.GetProperty("content").GetString() == "note: VIP");
        Assert.True(note.GetProperty("private").GetBoolean());
        Assert.Equal(("User", 1L), (note.GetProperty("sender_type").GetString(), note.GetProperty("sender_id").GetInt64()));

        (await admin.PostJson($"{path}/assignments", new { assignee_id = sam.Id })).EnsureSuccessStatusCode();
        var assigned = await Data(cable, identifier, "assignee.changed", d => d.GetProperty("id").GetInt64() == conversation.Id);
        Assert.Equal(sam.Id, assigned.GetProperty("assignee_id").GetInt64());
        // The dashboard replaces its copy of the conversation with this data: meta.assignee is the new assignee's push data.
        var assignee = assigned.GetProperty("meta").GetProperty("assignee");
        Assert.Equal((sam.Id, "Sam", "user"), (assignee.GetProperty("id").GetInt64(), assignee.GetProperty("name").GetString(),
            assignee.GetProperty("type").GetString()));
        // The assignment's activity line is for agents: Sam hears it too.
        await Data(cable, identifier, "message.created", d => d.GetProperty("message_type").GetInt32() == 2
                                                              && d.GetProperty("conversation_id").GetInt64() == conversation.Id);

        (await admin.PostJson($"{path}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();
        var resolved = await Data(cable, identifier, "conversation.status_changed", d => d.GetProperty("id").GetInt64() == conversation.Id);
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal(sam.Id, resolved.GetProperty("meta").GetProperty("assignee").GetProperty("id").GetInt64()); // still Sam's
        AssertSenderIsAnn(resolved, ann.Id);

        var annsConversation = $"{server.ClientApi}/contacts/{ann.SourceId}/conversations/{conversation.Id}";
        (await server.Http.PostJson($"{annsConversation}/toggle_typing", new { typing_status = "on" })).EnsureSuccessStatusCode();
        var typing = await Data(cable, identifier, "conversation.typing_on");
        Assert.Equal((conversation.Id, "contact"), (typing.GetProperty("conversation").GetProperty("id").GetInt64(),
            typing.GetProperty("user").GetProperty("type").GetString()));
        // An agent's own typing is not sent back to it (Chatwoot leaves the typist out); another agent's typing is.
        using var asSam = server.AgentHttp(sam.AccessToken!);
        (await asSam.PostJson($"{path}/toggle_typing_status", new { typing_status = "on" })).EnsureSuccessStatusCode();
        (await admin.PostJson($"{path}/toggle_typing_status", new { typing_status = "on" })).EnsureSuccessStatusCode();
        await Data(cable, identifier, "conversation.typing_on", d => IsUser(d.GetProperty("user"), 1));
        Assert.DoesNotContain(cable.Frames, f => Event(f) == "conversation.typing_on" && IsUser(Data(f).GetProperty("user"), sam.Id));
        (await server.Http.PostJson($"{annsConversation}/update_last_seen", new { })).EnsureSuccessStatusCode();
        var read = await Data(cable, identifier, "conversation.read", d => d.GetProperty("id").GetInt64() == conversation.Id);
        Assert.True(read.GetProperty("contact_last_seen_at").GetInt64() > 0);
        (await server.Http.PatchJson(server.ContactPath(ann), new { email = "ann@example.com" })).EnsureSuccessStatusCode();
        var contact = await Data(cable, identifier, "contact.updated", d => d.GetProperty("id").GetInt64() == ann.Id);
        Assert.Equal("ann@example.com", contact.GetProperty("email").GetString());

        // Bob writes in the other inbox, then Ann in Sam's: once Ann's arrives (a stream is delivered in order, and both
        // were sent after Bob's), Bob's would have come before it if Sam heard his inbox.
        var bob = await server.CreateContactIn(elsewhere.Identifier, new { name = "Bob" });
        var bobs = await server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{elsewhere.Identifier}/contacts/{bob.SourceId}/conversations", new { message = new { content = "Bob elsewhere" } });
        (await server.Http.PostJson($"{annsConversation}/messages", new { content = "barrier" })).EnsureSuccessStatusCode();
        await Data(cable, identifier, "message.created", d => d.GetProperty("content").GetString() == "barrier");
        Assert.DoesNotContain(cable.Frames, f => f.GetRawText().Contains("Bob elsewhere") || f.GetRawText().Contains($"\"conversation_id\":{bobs.Id},"));
        Assert.DoesNotContain(cable.Frames, f => Event(f) == "conversation.created" && Data(f).GetProperty("id").GetInt64() == bobs.Id);
        // A customer's credentials never reach an agent.
        Assert.DoesNotContain(cable.Frames, f => f.GetRawText().Contains(ann.SourceId) || f.GetRawText().Contains(ann.PubsubToken));
    }

    [Fact]
    public async Task A_subscription_naming_another_user_account_or_token_is_rejected()
    {
        await using var server = await ChatServer.StartAsync();
        var sam = await server.CreateAgent("Sam");
        var ann = await server.CreateContact("Ann");
        using var asSam = server.AgentHttp(sam.AccessToken!);
        var pubsub = JsonDocument.Parse(await asSam.GetStringAsync("/api/v1/profile")).RootElement.GetProperty("pubsub_token").GetString()!;
        await using var cable = await RawCable.ConnectAsync(server);
        string[] refused =
        [
            RawCable.AgentIdentifier(1, pubsub),                     // Sam's token under the administrator's id
            RawCable.AgentIdentifier(sam.Id, pubsub + "x"),          // not Sam's token
            RawCable.AgentIdentifier(sam.Id, sam.AccessToken!),      // the access token is not the pubsub token
            RawCable.AgentIdentifier(sam.Id, pubsub, accountId: 2),  // another account
            RawCable.AgentIdentifier(sam.Id, ann.PubsubToken),       // a contact's token with a user id
            RawCable.Identifier(pubsub),                             // an agent's token without its user id
        ];
        foreach (var identifier in refused) await cable.Subscribe(identifier);
        foreach (var identifier in refused)
            await cable.WaitFor(f => Type(f) == "reject_subscription" && f.GetProperty("identifier").GetString() == identifier, $"reject of {identifier}");

        // The user id as a string, as Rails params may carry it, is Sam.
        var asString = JsonSerializer.Serialize(new { channel = "RoomChannel", pubsub_token = pubsub, account_id = "1", user_id = sam.Id.ToString() });
        await cable.Subscribe(asString);
        await cable.WaitFor(f => Type(f) == "confirm_subscription" && f.GetProperty("identifier").GetString() == asString, "confirmation");
        // A socket is one party's: a contact's subscription on an agent's socket is refused.
        var annsIdentifier = RawCable.Identifier(ann.PubsubToken);
        await cable.Subscribe(annsIdentifier);
        await cable.WaitFor(f => Type(f) == "reject_subscription" && f.GetProperty("identifier").GetString() == annsIdentifier, "reject of Ann's");
    }

    /// <summary>meta.sender is the contact's push data, never its credentials (the last assertion of the scenario
    /// checks every frame for those); meta.hmac_verified is the contact's.</summary>
    private static void AssertSenderIsAnn(JsonElement conversation, long annId)
    {
        var meta = conversation.GetProperty("meta");
        var sender = meta.GetProperty("sender");
        Assert.Equal((annId, "Ann", "contact"), (sender.GetProperty("id").GetInt64(), sender.GetProperty("name").GetString(),
            sender.GetProperty("type").GetString()));
        Assert.False(sender.TryGetProperty("source_id", out _) || sender.TryGetProperty("pubsub_token", out _));
        Assert.False(meta.GetProperty("hmac_verified").GetBoolean());
    }

    private static async Task<JsonElement> Data(RawCable cable, string identifier, string eventName, Func<JsonElement, bool>? match = null) =>
        Data(await cable.WaitForBroadcast(identifier, eventName, match));

    private static bool IsUser(JsonElement sender, long agentId) =>
        sender.GetProperty("type").GetString() == "user" && sender.GetProperty("id").GetInt64() == agentId;

    private static JsonElement Data(JsonElement frame) => frame.GetProperty("message").GetProperty("data");

    private static string? Event(JsonElement frame) =>
        frame.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object ? m.GetProperty("event").GetString() : null;

    private static string? Type(JsonElement frame) => frame.TryGetProperty("type", out var t) ? t.GetString() : null;
}
