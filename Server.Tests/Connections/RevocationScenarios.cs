using System.Net;
using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Connections;

/// <summary>Where each party of a revocation test is: the administrator who changes rights, the agent or contact whose
/// connection is revoked (and a witness connected beside it, on the same node), and the customer who keeps writing.
/// On one node they are all the same server; across nodes the change is made on another node than the connection's.</summary>
public sealed record RevocationNodes(ChatServer Admin, ChatServer Connected, ChatServer Customer);

/// <summary>The revocation scenarios of API.md's promise that a change of rights takes effect at once, on every node:
/// after the administrator is answered, the old connection is closed (or, removed from an inbox, no longer hears it),
/// hears nothing more and can call nothing more. Run on one node (<see cref="RevocationTests"/>) and across two nodes
/// behind Redis (<see cref="RevocationAcrossNodesTests"/>).</summary>
public static class RevocationScenarios
{
    /// <summary>A bound against hanging, never a speed assertion.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task DeactivationAsync(RevocationNodes nodes)
    {
        await using var cast = await Cast.StartAsync(nodes);
        using var admin = nodes.Admin.AdminHttp();

        (await admin.PatchJson($"/api/v1/agents/{cast.Sam.Id}", new { active = false })).EnsureSuccessStatusCode();

        await cast.AssertSamRevokedAsync(cast.Sam.AccessToken!);
        // Added to another inbox afterwards: nothing of it reaches the old connection either (it is gone). The witness,
        // the inbox's creator, hears the new conversation there.
        var other = await nodes.Admin.CreateInbox("Other");
        (await admin.PostJson($"/api/v1/inboxes/{other.Id}/members", new { agent_ids = new[] { cast.Sam.Id } })).EnsureSuccessStatusCode();
        var bea = await nodes.Customer.CreateContactIn(other.Identifier, new { name = "Bea" });
        var beas = await nodes.Customer.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{other.Identifier}/contacts/{bea.SourceId}/conversations", new { message = new { content = "in the other inbox" } });
        await cast.Witness.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == beas.Id);
        Assert.DoesNotContain(cast.SamHub.Pushes.All<Pushed.ConversationCreated>(), c => c.Conversation.Id == beas.Id);
    }

    public static async Task TokenResetAsync(RevocationNodes nodes, bool byTheAgentItself)
    {
        await using var cast = await Cast.StartAsync(nodes);
        var reset = byTheAgentItself
            ? await nodes.Admin.AgentHttp(cast.Sam.AccessToken!).PostRead<AgentDto>("/api/v1/profile/reset_access_token", new { })
            : await nodes.Admin.AdminHttp().PostRead<AgentDto>($"/api/v1/agents/{cast.Sam.Id}/reset_access_token", new { });

        await cast.AssertSamRevokedAsync(cast.Sam.AccessToken!);
        // The new token opens a connection that hears the inbox.
        await using var renewed = await HubSession.ConnectAsync(nodes.Connected, reset.AccessToken!);
        // On /cable the profile's new pubsub token subscribes (the old one was refused above).
        var (renewedCable, renewedIdentifier) = await RawCable.SubscribeAgentAsync(nodes.Connected, reset.AccessToken!);
        await using var _ = renewedCable;
        var message = await cast.AnnHub.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = cast.Conversation.Id, Content = "to the new token" });
        await renewed.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == message.Id);
        await renewedCable.WaitForBroadcast(renewedIdentifier, "message.created", d => d.GetProperty("id").GetInt64() == message.Id);
    }

    /// <summary>The command line runs in a process of its own, beside the running node(s), on the same database.</summary>
    public static async Task CommandLineResetAsync(RevocationNodes nodes, IReadOnlyDictionary<string, string?>? commandSettings = null)
    {
        await using var cast = await Cast.StartAsync(nodes);

        var (exitCode, stdout, stderr) = await ServerProcess.RunCommandLineAsync(nodes.Admin.DbPath, commandSettings, "reset-token", cast.SamEmail);
        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");

        await cast.AssertSamRevokedAsync(cast.Sam.AccessToken!);
    }

    public static async Task RemovalFromAnInboxAsync(RevocationNodes nodes)
    {
        await using var cast = await Cast.StartAsync(nodes);
        using var admin = nodes.Admin.AdminHttp();
        // Sam is also a member of a second inbox, which it keeps.
        var second = await nodes.Admin.CreateInbox("Second");
        (await admin.PostJson($"/api/v1/inboxes/{second.Id}/members", new { agent_ids = new[] { cast.Sam.Id, 1L } })).EnsureSuccessStatusCode();
        var bea = await nodes.Customer.CreateContactIn(second.Identifier, new { name = "Bea" });
        await using var beaHub = await HubSession.ConnectAsync(nodes.Customer, bea.PubsubToken);
        var beas = await beaHub.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "second inbox" } });
        await cast.SamHub.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == beas.Id);

        var remaining = await (await admin.DeleteAsync($"/api/v1/inboxes/1/members/{cast.Sam.Id}")).Read<JsonElement>();
        Assert.DoesNotContain(cast.Sam.Id, remaining.GetProperty("agent_ids").EnumerateArray().Select(e => e.GetInt64()));

        // Ann writes in inbox 1: the witness gets it; then Bea writes in inbox 2: Sam gets that (its connection is alive and
        // in order), so Ann's message would have reached Sam before it if Sam still heard inbox 1.
        var toInbox1 = await cast.AnnHub.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = cast.Conversation.Id, Content = "after removal" });
        await cast.Witness.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == toInbox1.Id);
        var toInbox2 = await beaHub.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = beas.Id, Content = "still heard" });
        await cast.SamHub.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == toInbox2.Id);
        await cast.SamCable.WaitForBroadcast(cast.SamCableIdentifier, "message.created", d => d.GetProperty("id").GetInt64() == toInbox2.Id);
        var annsFirst = await cast.AnnHub.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "new one" } });
        await cast.Witness.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == annsFirst.Id);
        var barrier = await beaHub.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = beas.Id, Content = "barrier" });
        await cast.SamHub.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == barrier.Id);
        Assert.DoesNotContain(cast.SamHub.Pushes.All<Pushed.MessageCreated>(), m => m.Message.ConversationId == cast.Conversation.Id && m.Message.Id >= toInbox1.Id);
        Assert.DoesNotContain(cast.SamHub.Pushes.All<Pushed.ConversationCreated>(), c => c.Conversation.Id == annsFirst.Id);
        // Sam's /cable subscription likewise: alive (the barrier arrives), silent on inbox 1.
        await cast.SamCable.WaitForBroadcast(cast.SamCableIdentifier, "message.created", d => d.GetProperty("id").GetInt64() == barrier.Id);
        Assert.DoesNotContain(cast.SamCable.Frames, f => CableData(f) is { } d && d.TryGetProperty("conversation_id", out var c)
            && (c.GetInt64() == cast.Conversation.Id && d.GetProperty("id").GetInt64() >= toInbox1.Id || c.GetInt64() == annsFirst.Id));
        Assert.DoesNotContain(cast.SamCable.Frames, f => f.GetRawText().Contains("\"conversation.created\"")
            && CableData(f)!.Value.GetProperty("id").GetInt64() == annsFirst.Id);

        // Its calls on inbox 1's conversations are refused; inbox 2's still work.
        foreach (var call in new Func<Task>[]
                 {
                     () => cast.SamHub.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = cast.Conversation.Id }),
                     () => cast.SamHub.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = cast.Conversation.Id, Content = "no" }),
                     () => cast.SamHub.Hub.AssignAsync(cast.Conversation.Id, cast.Sam.Id),
                     () => cast.SamHub.Hub.SetStatusAsync(cast.Conversation.Id, ConversationStatuses.Resolved),
                 })
        {
            var refused = await Assert.ThrowsAsync<ChatHubException>(call);
            Assert.Equal(ErrorCodes.Forbidden, refused.Code);
        }
        var listed = await cast.SamHub.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" });
        Assert.Equal([beas.Id], listed.Select(c => c.Id));
        await cast.SamHub.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = beas.Id });
    }

    public static async Task InboxTurnedHmacMandatoryAsync(RevocationNodes nodes)
    {
        await using var cast = await Cast.StartAsync(nodes);
        using var admin = nodes.Admin.AdminHttp();
        // Vic proved its identifier with the inbox's HMAC: it stays.
        var vic = await nodes.Customer.CreateContact("Vic", new { name = "Vic", identifier = "vic-1", identifier_hash = IdentifierHash(nodes.Customer.HmacToken, "vic-1") });
        Assert.True(vic.HmacVerified);
        await using var vicHub = await HubSession.ConnectAsync(nodes.Connected, vic.PubsubToken);
        var vics = await vicHub.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "verified" } });
        // Ann (unverified) listens on the hub and on /cable, on the node the change is not made on.
        await using var annListening = await HubSession.ConnectAsync(nodes.Connected, cast.Ann.PubsubToken);
        var annClosed = ClosedOf(annListening);
        await using var annCable = await RawCable.ConnectAsync(nodes.Connected, "actioncable-v1-json");
        var identifier = RawCable.Identifier(cast.Ann.PubsubToken);
        await annCable.Subscribe(identifier);
        await annCable.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "confirm_subscription", "confirmation");

        (await admin.PatchJson("/api/v1/inboxes/1", new { hmac_mandatory = true })).EnsureSuccessStatusCode();

        await annClosed.WaitAsync(Bound);
        await annCable.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "disconnect"
                                    && f.GetProperty("reason").GetString() == "unauthorized" && !f.GetProperty("reconnect").GetBoolean(), "disconnect");
        await annCable.WaitClosed();
        await Assert.ThrowsAsync<ChatHubConnectionClosedException>(() => annListening.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = cast.Conversation.Id }));
        // Ann's credentials open nothing any more, on any channel.
        await Assert.ThrowsAnyAsync<Exception>(() => HubSession.ConnectAsync(nodes.Connected, cast.Ann.PubsubToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await nodes.Connected.Http.GetAsync(nodes.Connected.ContactPath(cast.Ann))).StatusCode);
        await using var cableAgain = await RawCable.ConnectAsync(nodes.Connected, "actioncable-v1-json");
        await cableAgain.Subscribe(identifier);
        await cableAgain.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "reject_subscription", "rejection");

        // Vic's connection is untouched: an agent's reply reaches it.
        var reply = await cast.Witness.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = vics.Id, Content = "still here" });
        await vicHub.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
    }

    private static JsonElement? CableData(JsonElement frame) =>
        frame.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("data", out var d) ? d : null;

    private static Task ClosedOf(HubSession session)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    /// <summary>Sam (an agent of inbox 1) connected to <see cref="RevocationNodes.Connected"/> on the hub and on /cable (as
    /// Chatwoot's dashboard subscribes) beside a witness (the administrator), and Ann, a customer of inbox 1, with a
    /// conversation all have heard of.</summary>
    private sealed class Cast : IAsyncDisposable
    {
        private readonly Task _samClosed;
        private readonly RevocationNodes _nodes;

        private Cast(RevocationNodes nodes, AgentDto sam, string samEmail, HubSession samHub, HubSession witness, ContactDto ann, HubSession annHub,
            ConversationDto conversation, RawCable samCable, string samCableIdentifier)
        {
            SamCable = samCable;
            SamCableIdentifier = samCableIdentifier;
            _nodes = nodes;
            Sam = sam;
            SamEmail = samEmail;
            SamHub = samHub;
            Witness = witness;
            Ann = ann;
            AnnHub = annHub;
            Conversation = conversation;
            _samClosed = ClosedOf(samHub);
        }

        public AgentDto Sam { get; }
        public string SamEmail { get; }
        public HubSession SamHub { get; }
        public HubSession Witness { get; }
        public ContactDto Ann { get; }
        public HubSession AnnHub { get; }
        public ConversationDto Conversation { get; }
        public RawCable SamCable { get; }
        public string SamCableIdentifier { get; }

        public static async Task<Cast> StartAsync(RevocationNodes nodes)
        {
            var email = $"sam-{Guid.NewGuid():N}@example.com";
            var sam = await nodes.Admin.AdminHttp().PostRead<AgentDto>("/api/v1/agents", new { name = "Sam", email, role = "agent" });
            (await nodes.Admin.AdminHttp().PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { sam.Id } })).EnsureSuccessStatusCode();
            var samHub = await HubSession.ConnectAsync(nodes.Connected, sam.AccessToken!);
            var (samCable, samCableIdentifier) = await RawCable.SubscribeAgentAsync(nodes.Connected, sam.AccessToken!);
            var witness = await HubSession.ConnectAsync(nodes.Connected, nodes.Connected.AgentToken);
            var ann = await nodes.Customer.CreateContact("Ann");
            var annHub = await HubSession.ConnectAsync(nodes.Customer, ann.PubsubToken);
            var conversation = await annHub.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "before" } });
            // Both hear it: the connections work before any change.
            await samHub.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
            await witness.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
            await samCable.WaitForBroadcast(samCableIdentifier, "conversation.created", d => d.GetProperty("id").GetInt64() == conversation.Id);
            return new Cast(nodes, sam, email, samHub, witness, ann, annHub, conversation, samCable, samCableIdentifier);
        }

        /// <summary>Sam's connection was closed by the server, calls on it fail, nothing written after reaches it, and its
        /// old token opens no new connection.</summary>
        public async Task AssertSamRevokedAsync(string oldToken)
        {
            await _samClosed.WaitAsync(Bound);
            await Assert.ThrowsAsync<ChatHubConnectionClosedException>(() => SamHub.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = Conversation.Id }));
            var after = await AnnHub.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = Conversation.Id, Content = "after" });
            await Witness.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == after.Id);
            Assert.DoesNotContain(SamHub.Pushes.All<Pushed.MessageCreated>(), m => m.Message.Id == after.Id);
            await Assert.ThrowsAnyAsync<Exception>(() => HubSession.ConnectAsync(_nodes.Connected, oldToken));
            // Sam's /cable subscription was told it is no longer authorized and closed; subscribing again is refused.
            await SamCable.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "disconnect"
                                        && f.GetProperty("reason").GetString() == "unauthorized" && !f.GetProperty("reconnect").GetBoolean(), "disconnect");
            await SamCable.WaitClosed();
            Assert.DoesNotContain(SamCable.Frames, f => CableData(f) is { } d && d.TryGetProperty("id", out var id) && id.GetInt64() == after.Id);
            await using var again = await RawCable.ConnectAsync(_nodes.Connected, "actioncable-v1-json");
            await again.Subscribe(SamCableIdentifier);
            await again.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "reject_subscription", "rejection");
        }

        public async ValueTask DisposeAsync()
        {
            await SamHub.DisposeAsync();
            await SamCable.DisposeAsync();
            await Witness.DisposeAsync();
            await AnnHub.DisposeAsync();
        }
    }
}
