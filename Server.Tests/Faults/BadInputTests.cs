using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Faults;

/// <summary>Thousands of malformed hub invocations (over a raw WebSocket, by a contact and by an agent) and
/// malformed REST requests (against every endpoint), all at once, while a customer and an agent chat on:
/// every answer is a success or a coded error (hub) / a 2xx or a 4xx problem (REST), nothing is a 5xx or
/// "unavailable", the bystanders get every message, and the server stays healthy.</summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const int HubSeed = 20_240_611;
    private const int RestSeed = 7_331;

    [Fact]
    public async Task Malformed_hub_invocations_and_rest_requests_get_coded_answers_while_a_bystander_chats_on()
    {
        await using var scene = await ChatScene.StartAsync();
        var server = scene.Server;
        using var admin = server.AgentHttp(server.AgentToken);

        // The bystanders' conversation, and the attackers' own things.
        var bystanderConversation = await scene.StartConversation("hello, I am the bystander");
        var bystanderMessage = bystanderConversation.Messages.Single().Id;
        var mallory = await server.CreateContact("Mallory");
        var malloryConversation = await server.StartConversation(mallory, "Mallory's first message");
        var answerable = await SendInputSelect(admin, malloryConversation.Id);
        var eve = await server.CreateAgent("Eve");                       // an agent of inbox 1
        var stranger = await server.CreateAgent("Stranger", inboxId: null); // an agent of no inbox
        var other = await admin.PostRead<InboxAdminDto>("/api/v1/inboxes", new { name = "Other inbox" });
        var otherContact = await server.Http.PostRead<ContactDto>($"/public/api/v1/inboxes/{other.Identifier}/contacts", new { name = "Olga" });
        var otherConversation = await server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{other.Identifier}/contacts/{otherContact.SourceId}/conversations", new { message = new { content = "elsewhere" } });
        var rita = await server.CreateContact("Rita");
        var ritaConversation = await server.StartConversation(rita, "Rita's first message");
        var ritaAnswerable = await SendInputSelect(admin, ritaConversation.Id);

        var contactTargets = new HubTargets(malloryConversation.Id, bystanderConversation.Id, malloryConversation.Messages[0].Id,
            bystanderMessage, answerable, InboxAgent: 1, InboxId: 1);
        var agentTargets = new HubTargets(malloryConversation.Id, otherConversation.Id, malloryConversation.Messages[0].Id,
            otherConversation.Messages[0].Id, answerable, InboxAgent: eve.Id, InboxId: 1);
        var restTargets = new RestTargets(server.InboxIdentifier, rita.SourceId, ritaConversation.Id, ritaAnswerable,
            bystanderConversation.Id, bystanderMessage, InboxId: 1, server.AgentToken, stranger.AccessToken!, rita.PubsubToken);

        var contactCases = HubFuzz.Systematic(contactTargets).Concat(HubFuzz.Random(contactTargets, HubSeed, 2_500)).ToList();
        var agentCases = HubFuzz.Systematic(agentTargets).Concat(HubFuzz.Random(agentTargets, HubSeed + 1, 1_000)).ToList();
        var restCases = RestFuzz.Systematic(restTargets).Concat(RestFuzz.Random(restTargets, RestSeed, 2_000)).ToList();

        var bystander = new Bystander(scene, bystanderConversation.Id);
        var chatting = bystander.RunAsync();
        var attacks = await Task.WhenAll(
            Task.Run(() => HubFuzz.RunAsync(server.BaseUrl, mallory.PubsubToken, contactCases, "contact")),
            Task.Run(() => HubFuzz.RunAsync(server.BaseUrl, eve.AccessToken!, agentCases, "agent")));
        var rest = await RestFuzz.RunAsync(server.BaseUrl, restCases);
        bystander.Stop();
        await chatting;
        var (delivered, bystanderProblems) = await bystander.VerifyAsync();

        using var health = await server.Http.GetAsync("/healthz");

        foreach (var hub in attacks)
        {
            output.WriteLine($"hub invocations tried as {hub.Label}: {hub.Tried} (succeeded {hub.Succeeded}, coded errors {hub.CodedErrors}: " +
                $"{string.Join(", ", hub.ByCode.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}); " +
                $"connections closed by the server on protocol garbage: {hub.GarbageClosures}, reconnects: {hub.Reconnects}");
            output.WriteLine($"  uncoded hub errors: {hub.Uncoded.Count}; 'unavailable' answers: {hub.Unavailable.Count}; other problems: {hub.Problems.Count}");
            foreach (var line in hub.Uncoded.Concat(hub.Unavailable).Concat(hub.Problems).Take(40)) output.WriteLine($"  PROBLEM: {line}");
        }
        output.WriteLine($"REST requests tried: {rest.Tried} (2xx {rest.Success}, 4xx {rest.ClientErrors}, 5xx {rest.ServerErrors}, " +
            $"no answer {rest.TransportErrors} (bodies over 64 KB), retried once on a fresh connection {rest.Retried}, bare 400 from Kestrel for a NUL in the path {rest.RejectedByKestrel}); by status: {string.Join(", ", rest.ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        foreach (var line in rest.Problems.Take(100)) output.WriteLine($"  PROBLEM: {line}");
        output.WriteLine($"bystander: sent {bystander.Sent} messages, delivered {delivered} (to the other side, each once)");
        foreach (var line in bystanderProblems) output.WriteLine($"  PROBLEM: {line}");
        output.WriteLine($"/healthz after the attack: {(int)health.StatusCode}");

        Assert.All(attacks, hub =>
        {
            Assert.True(hub.Uncoded.Count == 0, $"uncoded hub errors ({hub.Label}):\n{string.Join('\n', hub.Uncoded.Take(20))}");
            Assert.True(hub.Unavailable.Count == 0, $"'unavailable' for bad input ({hub.Label}):\n{string.Join('\n', hub.Unavailable.Take(20))}");
            Assert.True(hub.Problems.Count == 0, $"hub problems ({hub.Label}):\n{string.Join('\n', hub.Problems.Take(20))}");
            Assert.True(hub.Tried >= 3_000);
        });
        Assert.Equal(0, rest.ServerErrors);
        Assert.True(rest.Problems.IsEmpty, $"REST problems:\n{string.Join('\n', rest.Problems.Take(20))}");
        Assert.True(rest.Tried >= 3_000);
        Assert.True(bystanderProblems.Count == 0, string.Join('\n', bystanderProblems));
        Assert.Equal(bystander.Sent, delivered);
        Assert.True(bystander.Sent >= 2);
        Assert.True(health.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Deeply_nested_attributes_are_refused_so_they_cannot_break_answers_and_pushes_to_agents()
    {
        // 40 levels passed the 64 KB and 8 KB limits, was stored, and then could not be serialized inside any answer
        // or push (System.Text.Json stops at 64 levels): agents' conversation lists failed and their connections closed.
        await using var scene = await ChatScene.StartAsync();
        using var admin = scene.Server.AgentHttp(scene.Server.AgentToken);
        var deep = JsonDocument.Parse(Nested(40)).RootElement;
        var conversation = await scene.StartConversation("hi");
        var select = await SendInputSelect(admin, conversation.Id);

        async Task Refused(Func<Task> call)
        {
            var error = await Assert.ThrowsAsync<ChatHubException>(call);
            Assert.Equal(ErrorCodes.Validation, error.Code);
            Assert.Contains("levels", error.Message);
        }
        await Refused(() => scene.Customer.Hub.StartConversationAsync(new StartConversationRequest { CustomAttributes = new() { ["a"] = deep } }));
        await Refused(() => scene.Customer.Hub.UpdateContactAsync(new UpdateContactRequest { CustomAttributes = new() { ["a"] = deep } }));
        await Refused(() => scene.Customer.Hub.SubmitValuesAsync(select, deep));
        await Refused(() => scene.Agent.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversation.Id, Content = "x", ContentAttributes = deep,
        }));
        var body = $"{{\"custom_attributes\":{{\"a\":{Nested(40)}}}}}";
        foreach (var (method, path) in new[]
        {
            ("POST", $"{scene.Server.ClientApi}/contacts"),
            ("PATCH", $"{scene.Server.ClientApi}/contacts/{scene.Contact.SourceId}"),
            ("POST", $"{scene.Server.ClientApi}/contacts/{scene.Contact.SourceId}/conversations"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            using var response = await scene.Server.Http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
        }

        // 32 levels in all is accepted, and everyone can still read everything.
        var allowed = await scene.Customer.Hub.StartConversationAsync(new StartConversationRequest
        {
            CustomAttributes = new() { ["a"] = JsonDocument.Parse(Nested(31)).RootElement },
        });
        await scene.Agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == allowed.Id);
        (await admin.GetAsync("/api/v1/conversations?status=all")).EnsureSuccessStatusCode();
        Assert.Equal(2, (await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" })).Count);
        Assert.Equal(HubConnectionState.Connected, scene.Agent.Connection.State);
    }

    [Fact]
    public async Task A_frame_of_an_unknown_type_does_not_stall_the_connection_and_stream_invocations_get_validation()
    {
        // SignalR's JSON protocol skips an unknown message type by returning false, which its connection handler
        // takes for "incomplete": the connection stopped processing anything (dotnet/aspnetcore#69285).
        await using var scene = await ChatScene.StartAsync();
        await using var socket = await RawHubSocket.ConnectAsync(scene.Server.BaseUrl, scene.Contact.PubsubToken);
        await socket.SendTextAsync("{\"type\":99,\"invocationId\":\"0\"}" + RawHubSocket.RecordSeparator);
        var ping = await socket.InvokeAsync("1", HubFuzz.Invocation("1", "Ping", ["1"]));
        Assert.NotNull(ping);
        Assert.Null(ping.Error);

        var stream = await socket.InvokeAsync("2", "{\"type\":4,\"invocationId\":\"2\",\"target\":\"Ping\",\"arguments\":[1]}");
        Assert.StartsWith("validation: ", stream?.Error);
        var streamIds = await socket.InvokeAsync("3", "{\"type\":1,\"invocationId\":\"3\",\"target\":\"Ping\",\"arguments\":[1],\"streamIds\":[\"s\"]}");
        Assert.StartsWith("validation: ", streamIds?.Error);
        Assert.False(socket.IsClosed);
    }

    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels);

    private static async Task<long> SendInputSelect(HttpClient admin, long conversationId)
    {
        var message = await admin.PostRead<MessageDto>($"/api/v1/conversations/{conversationId}/messages", new
        {
            content = "Pick one",
            content_type = "input_select",
            content_attributes = new { items = new[] { new { title = "Yes", value = "yes" }, new { title = "No", value = "no" } } },
        });
        return message.Id;
    }

    /// <summary>A customer and an agent (our .NET client) taking turns in one conversation until stopped; each
    /// must receive every message of the other.</summary>
    private sealed class Bystander(ChatScene scene, long conversationId)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<MessageDto> _fromCustomer = [];
        private readonly List<MessageDto> _fromAgent = [];

        public int Sent => _fromCustomer.Count + _fromAgent.Count;

        public void Stop() => _stop.Cancel();

        public async Task RunAsync()
        {
            try
            {
                await ChatAsync();
            }
            catch (ChatHubException ex) // a refusal or a lost connection (ChatHubConnectionClosedException)
            {
                Failure = $"the bystanders could not chat on: {ex.GetType().Name}: {ex.Message}";
            }
        }

        public string? Failure { get; private set; }

        private async Task ChatAsync()
        {
            // At least one round, then until the attack is over (bounded).
            for (var i = 0; i < 20_000 && (i == 0 || !_stop.IsCancellationRequested); i++)
            {
                _fromCustomer.Add(await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest
                {
                    ConversationId = conversationId, Content = $"customer says {i}", EchoId = $"bc-{i}",
                }));
                _fromAgent.Add(await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest
                {
                    ConversationId = conversationId, Content = $"agent says {i}", EchoId = $"ba-{i}",
                }));
                try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { }
            }
        }

        /// <summary>Waits (bounded) for every message to reach the other side, once each, and for each side's
        /// pushes plus its own answers to cover its seq stream 1..N without a gap (API.md guarantee 3: status,
        /// assignee and seen changes by the attackers take seqs too). Returns how many messages were delivered and
        /// what went wrong.</summary>
        public async Task<(int Delivered, List<string> Problems)> VerifyAsync()
        {
            var problems = new List<string>();
            if (Failure is not null) problems.Add(Failure);
            var (toAgent, agentDuplicates) = await WaitForAll(scene.Agent.Pushes, _fromCustomer);
            var (toCustomer, customerDuplicates) = await WaitForAll(scene.Customer.Pushes, _fromAgent);
            if (agentDuplicates + customerDuplicates > 0) problems.Add($"{agentDuplicates + customerDuplicates} bystander messages were pushed more than once");
            if (toAgent != _fromCustomer.Count) problems.Add($"the agent got {toAgent} of the customer's {_fromCustomer.Count} messages");
            if (toCustomer != _fromAgent.Count) problems.Add($"the customer got {toCustomer} of the agent's {_fromAgent.Count} messages");

            var customerEnd = (await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversationId, Limit = 1 })).Conversation.Seq;
            var agentEnd = (await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversationId, Limit = 1 })).Conversation.Seq;
            var customerGap = await WaitForSeqs(scene.Customer.Pushes, _fromCustomer, customerEnd);
            var agentGap = await WaitForSeqs(scene.Agent.Pushes, _fromAgent, agentEnd);
            if (customerGap.Count > 0) problems.Add($"the customer never saw seqs {string.Join(",", customerGap.Take(20))} of 1..{customerEnd}");
            if (agentGap.Count > 0) problems.Add($"the agent never saw seqs {string.Join(",", agentGap.Take(20))} of 1..{agentEnd}");
            return (toAgent + toCustomer, problems);
        }

        /// <summary>The seqs in 1..<paramref name="end"/> that neither a push nor one of this side's own answers carried.</summary>
        private async Task<List<long>> WaitForSeqs(RecordingClient pushes, List<MessageDto> ownAnswers, long end)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var seen = ownAnswers.Select(m => m.Seq).ToHashSet();
                seen.Add(1); // the customer's first message, the answer to StartConversation (and pushed to the agent)
                foreach (var e in pushes.Events)
                {
                    switch (e)
                    {
                        case Pushed.MessageCreated { Message: var m } when m.ConversationId == conversationId: seen.Add(m.Seq); break;
                        case Pushed.MessageUpdated { Message: var m } when m.ConversationId == conversationId: seen.Add(m.Seq); break;
                        case Pushed.ConversationUpdated { Conversation: var c } when c.Id == conversationId: seen.Add(c.Seq); break;
                    }
                }
                var missing = Enumerable.Range(1, (int)end).Select(s => (long)s).Where(s => !seen.Contains(s)).ToList();
                if (missing.Count == 0 || DateTime.UtcNow > deadline) return missing;
                await Task.Delay(20);
            }
        }

        private static async Task<(int Delivered, int Duplicates)> WaitForAll(RecordingClient pushes, List<MessageDto> sent)
        {
            var wanted = sent.Select(m => m.Id).ToHashSet();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var arrived = pushes.All<Pushed.MessageCreated>().Where(p => wanted.Contains(p.Message.Id)).ToList();
                var distinct = arrived.Select(p => p.Message.Id).Distinct().Count();
                if (distinct == wanted.Count || DateTime.UtcNow > deadline) return (distinct, arrived.Count - distinct);
                await Task.Delay(20);
            }
        }
    }
}
