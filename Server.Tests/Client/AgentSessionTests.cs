using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

public sealed class AgentSessionTests
{
    [Fact]
    public async Task Reply_note_assign_and_status_round_trip_between_an_agent_and_a_customer()
    {
        await using var server = await ChatServer.StartAsync();
        var agentOptions = new AgentSessionOptions { ServerUrl = server.BaseUrl, AccessToken = server.AgentToken };
        await using var customer = new CustomerSession(new CustomerSessionOptions { ServerUrl = server.BaseUrl, InboxIdentifier = server.InboxIdentifier, Name = "Ann" });
        var customerSaw = new SessionLog(customer);
        await customer.StartAsync();
        var question = await customer.SendMessageAsync("can you help?");
        var conversationId = question.ConversationId;

        await using var agent = new AgentSession(agentOptions);
        var agentSaw = new SessionLog(agent);
        await agent.StartAsync();
        Assert.Equal(1, agent.Profile.Id);
        Assert.Contains(agent.Conversations, c => c.Id == conversationId && c.Messages.Any(m => m.Content == "can you help?"));

        var reply = await agent.SendMessageAsync(conversationId, "sure");
        var note = await agent.SendMessageAsync(conversationId, "VIP", isPrivate: true);
        var assigned = await agent.AssignAsync(conversationId, agent.Profile.Id);
        var resolved = await agent.SetStatusAsync(conversationId, ConversationStatuses.Resolved);
        Assert.True(note.Private);
        Assert.Equal((1L, "resolved"), (assigned.AssigneeId!.Value, resolved.Status));

        var bye = await agent.SendMessageAsync(conversationId, "bye");

        // The customer: the reply, the assignment, the resolution and the reopening by the last reply (an agent's reply
        // reopens a resolved conversation), each once, in seq order; never the note, never the agents' activity lines
        // (the last reply, after them all, is the barrier).
        await customerSaw.WaitFor(() => customerSaw.Messages.Any(m => m.Id == bye.Id));
        Assert.Equal(["can you help?", "sure", "bye"], customerSaw.Messages.Select(m => m.Content));
        Assert.DoesNotContain(customerSaw.Messages, m => m.Private);
        Assert.Equal([(1L, "open"), (1L, "resolved"), (1L, "open")], customerSaw.Updates.Select(c => (c.AssigneeId ?? 0, c.Status)));
        customerSaw.AssertSeqsRise();

        // The agent: its own reply and note too (the server does not push them back to it), in seq order.
        await agentSaw.WaitFor(() => agentSaw.Messages.Any(m => m.Id == bye.Id));
        Assert.Equal(["sure", "VIP", "Assigned to Admin by Admin", "Conversation was resolved by Admin", "bye"], agentSaw.Messages.Select(m => m.Content));
        Assert.Equal([reply.Id, note.Id], agentSaw.Messages.Take(2).Select(m => m.Id));
        agentSaw.AssertSeqsRise();
    }

    [Fact]
    public async Task A_conversation_started_after_the_agent_connected_arrives_as_ConversationCreated_then_its_message()
    {
        await using var server = await ChatServer.StartAsync();
        await using var agent = new AgentSession(new AgentSessionOptions { ServerUrl = server.BaseUrl, AccessToken = server.AgentToken });
        var saw = new SessionLog(agent);
        await agent.StartAsync();
        Assert.Empty(agent.Conversations);

        await using var customer = new CustomerSession(new CustomerSessionOptions { ServerUrl = server.BaseUrl, InboxIdentifier = server.InboxIdentifier });
        await customer.StartAsync();
        var first = await customer.SendMessageAsync("hello?");

        await saw.WaitFor(() => saw.Messages.Count == 1);
        Assert.Equal(first.ConversationId, saw.Created.Single().Id);
        Assert.Equal(0, saw.Created.Single().Seq);
        Assert.Equal(first.Id, saw.Messages.Single().Id);
    }

    [Fact]
    public async Task A_wrong_access_token_fails_the_start()
    {
        await using var server = await ChatServer.StartAsync();
        await using var agent = new AgentSession(new AgentSessionOptions { ServerUrl = server.BaseUrl, AccessToken = "wrong" });
        await Assert.ThrowsAsync<ChatHubUnauthorizedException>(() => agent.StartAsync());
    }

    /// <summary>A session's events, in the order raised.</summary>
    private sealed class SessionLog
    {
        private readonly List<object> _events = [];

        public SessionLog(ChatSession session)
        {
            session.MessageCreated += Add;
            session.MessageUpdated += Add;
            session.ConversationCreated += c => Add(new CreatedEvent(c));
            session.ConversationUpdated += Add;
        }

        public IReadOnlyList<MessageDto> Messages => Snapshot().OfType<MessageDto>().ToList();
        public IReadOnlyList<ConversationDto> Updates => Snapshot().OfType<ConversationDto>().ToList();
        public IReadOnlyList<ConversationDto> Created => Snapshot().OfType<CreatedEvent>().Select(c => c.Conversation).ToList();

        public async Task WaitFor(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"got {Snapshot().Count} events");
                await Task.Delay(10);
            }
        }

        public void AssertSeqsRise()
        {
            var seqs = Snapshot().Select(e => e switch { MessageDto m => m.Seq, ConversationDto c => c.Seq, CreatedEvent c => c.Conversation.Seq, _ => -1 }).ToList();
            Assert.Equal(seqs.Order(), seqs);
            // Each message has its own seq; a conversation update may share the seq of the message after which it was
            // caught up (the client's gap fill hands over changes it missed as one update at the latest seq it saw).
            var messageSeqs = Snapshot().OfType<MessageDto>().Select(m => m.Seq).ToList();
            Assert.Equal(messageSeqs.Count, messageSeqs.Distinct().Count());
        }

        private Task Add(object e)
        {
            lock (_events) _events.Add(e);
            return Task.CompletedTask;
        }
        private List<object> Snapshot() { lock (_events) return [.. _events]; }

        private sealed record CreatedEvent(ConversationDto Conversation);
    }
}
