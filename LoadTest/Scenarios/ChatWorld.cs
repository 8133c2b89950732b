using System.Collections.Concurrent;
using System.Diagnostics;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.LoadTest.Setup;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>The connected cast of the chat and echo scenarios: N customers, each in its own conversation, and M
/// agents in the inbox. Phases run over the same connections, so echo and chat are compared like for like.</summary>
public sealed class ChatWorld(LoadOptions options, ServerUnderTest server, Population population)
{
    private readonly List<(ChatHubProxy Hub, long ConversationId)> _customers = [];
    private readonly List<ChatHubProxy> _agents = [];
    // Send timestamps by echoId, to time a message to its push at the other side.
    private readonly ConcurrentDictionary<string, long> _customerSends = new();
    private readonly ConcurrentDictionary<string, long> _agentReplies = new();
    private volatile Phase? _phase;
    private double ReplyFraction => options.ReplyFraction;

    public async Task ConnectAsync()
    {
        Console.Error.WriteLine(server.Nodes == 1
            ? $"[setup] {options.Customers} customers, {options.Agents} agents at {server.Url}"
            : options.Spread
                ? $"[setup] {options.Customers} customers and {options.Agents} agents on {string.Join(" and ", server.Urls.Distinct())} in turn"
                : $"[setup] {options.Customers} customers at {server.Url} (node A), {options.Agents} agents at {server.AgentUrls[0]} (node B)");
        var contacts = await population.CreateContactsAsync(options.Customers);
        var customers = new (ChatHubProxy, long)[contacts.Count];
        await Parallel.ForAsync(0, contacts.Count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var hub = await population.ConnectAsync(contacts[i].PubsubToken, i, new CustomerPushes(this));
            var conversation = await hub.StartConversationAsync(new StartConversationRequest());
            customers[i] = (hub, conversation.Id);
        });
        _customers.AddRange(customers);
        var tokens = await population.CreateAgentsAsync(options.Agents);
        for (var i = 0; i < tokens.Count; i++) _agents.Add(await population.ConnectAsync(tokens[i], i, new AgentPushes(this, i), agent: true));
    }

    /// <summary>Customers send messages at <paramref name="rate"/> per second each (0: closed loop); agents answer
    /// a share of them.</summary>
    public async Task<PhaseResult> RunChatAsync(string name, double rate)
    {
        var phase = _phase = new Phase(name);
        var seconds = await phase.RunAsync(options, server, stop =>
            Task.WhenAll(_customers.Select((c, i) => CustomerLoop(phase, c.Hub, c.ConversationId, i, rate, stop))));
        return phase.Result(options, rate, seconds, server, endToEnd: true);
    }

    /// <summary>The same connections and rate calling Ping only: what SignalR alone does on this machine.</summary>
    public async Task<PhaseResult> RunEchoAsync(string name, double rate)
    {
        var phase = _phase = new Phase(name);
        var seconds = await phase.RunAsync(options, server, stop =>
            Task.WhenAll(_customers.Select((c, i) => PaceLoop(rate, i, stop, async () =>
            {
                var started = Stopwatch.GetTimestamp();
                phase.Counters.CountSent();
                await c.Hub.PingAsync(0);
                phase.Acknowledgement.RecordSince(started);
                phase.Counters.CountAcknowledged();
                phase.Counters.CountDelivered();
            }, phase))));
        return phase.Result(options, rate, seconds, server, endToEnd: false);
    }

    private Task CustomerLoop(Phase phase, ChatHubProxy hub, long conversationId, int index, double rate, CancellationToken stop)
    {
        var sequence = 0;
        return PaceLoop(rate, index, stop, async () =>
        {
            var echoId = $"{phase.Name}-c{index}-{++sequence}";
            var started = Stopwatch.GetTimestamp();
            _customerSends[echoId] = started;
            phase.Counters.CountSent();
            await hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversationId, Content = $"message {sequence}", EchoId = echoId });
            phase.Acknowledgement.RecordSince(started);
            phase.Counters.CountAcknowledged();
        }, phase);
    }

    /// <summary>Open loop at a fixed rate (with a random start offset so customers do not send in lockstep),
    /// or closed loop when the rate is 0. Errors are counted by code and the loop goes on.</summary>
    private static async Task PaceLoop(double rate, int index, CancellationToken stop, Func<Task> work, Phase phase)
    {
        var interval = rate > 0 ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
        var next = Stopwatch.GetElapsedTime(0) + interval * new Random(index).NextDouble();
        while (!stop.IsCancellationRequested)
        {
            if (rate > 0)
            {
                var wait = next - Stopwatch.GetElapsedTime(0);
                if (wait > TimeSpan.Zero)
                {
                    try { await Task.Delay(wait, stop); } catch (OperationCanceledException) { return; }
                }
                next += interval;
            }
            try { await work(); }
            catch (ChatHubException ex) { phase.Counters.CountError(ex.Code); }
            catch (Exception ex) { phase.Counters.CountError(ex.GetType().Name); }
        }
    }

    private sealed class CustomerPushes(ChatWorld world) : PushCounter
    {
        public override Task MessageCreated(MessageDto message)
        {
            if (world._phase is not { } phase) return Task.CompletedTask;
            phase.Counters.CountDelivered();
            if (message.EchoId is { } echoId && world._agentReplies.TryRemove(echoId, out var sent)) phase.AgentToCustomer.RecordSince(sent);
            return Task.CompletedTask;
        }
    }

    private sealed class AgentPushes(ChatWorld world, int agentIndex) : PushCounter
    {
        public override Task MessageCreated(MessageDto message)
        {
            if (world._phase is not { } phase) return Task.CompletedTask;
            phase.Counters.CountDelivered();
            if (message.MessageType != MessageTypes.Incoming || message.EchoId is null) return Task.CompletedTask;
            // Timed at the first agent the push reaches.
            if (world._customerSends.TryRemove(message.EchoId, out var sent)) phase.CustomerToAgent.RecordSince(sent);
            // One agent per conversation answers a fixed share of the messages (deterministic, no shared state).
            var answers = message.ConversationId % world._agents.Count == agentIndex
                && (message.Id * 2654435761L % 1000) < world.ReplyFraction * 1000;
            if (answers) _ = world.ReplyAsync(phase, agentIndex, message);
            return Task.CompletedTask;
        }
    }

    private async Task ReplyAsync(Phase phase, int agentIndex, MessageDto message)
    {
        var echoId = $"{phase.Name}-r{message.Id}";
        _agentReplies[echoId] = Stopwatch.GetTimestamp();
        try
        {
            await _agents[agentIndex].SendMessageAsync(new SendMessageRequest { ConversationId = message.ConversationId, Content = "on it", EchoId = echoId });
        }
        catch (ChatHubException ex) { phase.Counters.CountError("reply:" + ex.Code); }
        catch (Exception ex) { phase.Counters.CountError("reply:" + ex.GetType().Name); }
    }

    /// <summary>Counts nothing but what a subclass overrides: the load test only times messages.</summary>
    private abstract class PushCounter : IChatClient
    {
        public abstract Task MessageCreated(MessageDto message);
        public Task MessageUpdated(MessageDto message) => Task.CompletedTask;
        public Task ConversationCreated(ConversationDto conversation) => Task.CompletedTask;
        public Task ConversationUpdated(ConversationDto conversation) => Task.CompletedTask;
        public Task Typing(TypingEvent typing) => Task.CompletedTask;
        public Task PresenceChanged(PresenceEvent presence) => Task.CompletedTask;
        public Task ContactUpdated(ContactDto contact) => Task.CompletedTask;
        public Task InboxAvailabilityChanged(InboxAvailabilityEvent availability) => Task.CompletedTask;
    }
}
