using System.Collections.Concurrent;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Faults;

/// <summary>Many senders at once against a <see cref="ServerProcess"/>: 8 contacts (each in its own
/// conversation, two calls in flight each) and the administrator agent (four calls in flight, round robin over
/// the conversations), every call with a distinct echoId, through our .NET client. It records every call it
/// made and every acknowledgement it got, so that after the server dies and comes back, <see cref="VerifyAsync"/>
/// can check API.md's delivery guarantees against what was acknowledged.</summary>
public sealed class SendBurst : IAsyncDisposable
{
    public const int ContactCount = 8;
    private const int LanesPerContact = 2;
    private const int AgentLanes = 4;
    /// <summary>Bounds every lane, so that a server that never dies cannot make a test run forever.</summary>
    private const int MaxCallsPerLane = 20_000;

    private readonly ServerProcess _server;
    private readonly List<Customer> _customers;
    private readonly ChatHubProxy _agent;
    private readonly ConcurrentDictionary<string, Attempt> _attempts = new();
    private readonly ConcurrentBag<Acknowledged> _acknowledged = [];
    private readonly ConcurrentBag<string> _unexpectedErrors = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _lanes = [];
    private int _ackCount;
    private int _closedCalls;
    private int _unavailableCalls;

    private SendBurst(ServerProcess server, List<Customer> customers, ChatHubProxy agent)
    {
        _server = server;
        _customers = customers;
        _agent = agent;
    }

    private sealed record Customer(ContactDto Contact, long ConversationId, ChatHubProxy Hub);
    private sealed record Attempt(long ConversationId, string SenderType, string EchoId, string Content);
    private sealed record Acknowledged(Attempt Attempt, MessageDto Message);

    public int Sent => _attempts.Count;
    public int AcknowledgedCount => Volatile.Read(ref _ackCount);
    public int ClosedCalls => Volatile.Read(ref _closedCalls);
    public int UnavailableCalls => Volatile.Read(ref _unavailableCalls);
    /// <summary>Errors other than "the connection closed" and "unavailable" (which a dying server may give).</summary>
    public IReadOnlyCollection<string> UnexpectedErrors => _unexpectedErrors;

    /// <summary>Creates the contacts and their conversations over REST and connects everyone to the hub.</summary>
    public static async Task<SendBurst> PrepareAsync(ServerProcess server)
    {
        var customers = new List<Customer>();
        ChatHubProxy? agent = null;
        try
        {
            for (var k = 0; k < ContactCount; k++)
            {
                var contact = await server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", new { name = $"Burst {k}" });
                var conversation = await server.Http.PostRead<ConversationDto>(
                    $"{server.ClientApi}/contacts/{contact.SourceId}/conversations", new { });
                customers.Add(new Customer(contact, conversation.Id, await ConnectAsync(server, contact.PubsubToken)));
            }
            agent = await ConnectAsync(server, server.AgentToken);
            return new SendBurst(server, customers, agent);
        }
        catch
        {
            foreach (var customer in customers) await customer.Hub.HubConnection.DisposeAsync();
            if (agent is not null) await agent.HubConnection.DisposeAsync();
            throw;
        }
    }

    /// <summary>An official connection without automatic reconnect: when the server dies, calls in flight fail.</summary>
    public static async Task<ChatHubProxy> ConnectAsync(ServerProcess server, string token)
    {
        var connection = new HubConnectionBuilder().WithChatHub(server.BaseUrl, token).Build();
        connection.HandshakeTimeout = TimeSpan.FromSeconds(60);
        await connection.StartAsync();
        return new ChatHubProxy(connection);
    }

    public void Start()
    {
        foreach (var (customer, k) in _customers.Select((c, k) => (c, k)))
        {
            for (var lane = 0; lane < LanesPerContact; lane++)
            {
                var prefix = $"c{k}.{lane}";
                _lanes.Add(Task.Run(() => LaneAsync(customer.Hub, SenderTypes.Contact, _ => customer.ConversationId, prefix)));
            }
        }
        for (var lane = 0; lane < AgentLanes; lane++)
        {
            var prefix = $"a{lane}";
            var offset = lane;
            _lanes.Add(Task.Run(() => LaneAsync(_agent, SenderTypes.Agent,
                i => _customers[(i + offset) % _customers.Count].ConversationId, prefix)));
        }
    }

    private async Task LaneAsync(ChatHubProxy hub, string senderType, Func<int, long> conversationFor, string prefix)
    {
        for (var i = 0; i < MaxCallsPerLane && !_stop.IsCancellationRequested; i++)
        {
            var attempt = new Attempt(conversationFor(i), senderType, $"{prefix}-{i}", $"burst message {prefix}-{i}");
            _attempts[attempt.EchoId] = attempt;
            try
            {
                var message = await hub.SendMessageAsync(new SendMessageRequest
                {
                    ConversationId = attempt.ConversationId,
                    Content = attempt.Content,
                    EchoId = attempt.EchoId,
                });
                _acknowledged.Add(new Acknowledged(attempt, message));
                Interlocked.Increment(ref _ackCount);
            }
            catch (ChatHubConnectionClosedException)
            {
                Interlocked.Increment(ref _closedCalls);
                return;
            }
            catch (ChatHubException ex) when (ex.Code == ErrorCodes.Unavailable)
            {
                Interlocked.Increment(ref _unavailableCalls);
                return;
            }
            catch (Exception ex)
            {
                _unexpectedErrors.Add($"{attempt.EchoId}: {ex.GetType().Name}: {ex.Message}");
                return;
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> sends were acknowledged (bounded; fails if every
    /// sender stopped first).</summary>
    public async Task WaitForAcknowledgedAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (AcknowledgedCount < count)
        {
            if (_lanes.All(l => l.IsCompleted))
                throw new InvalidOperationException($"every sender stopped after {AcknowledgedCount} acknowledgements: {string.Join("; ", _unexpectedErrors.Take(5))}\n{_server.Log}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"only {AcknowledgedCount} of {count} sends were acknowledged\n{_server.Log}");
            await Task.Delay(5);
        }
    }

    /// <summary>Waits for every sender to notice the server is gone (their calls fail once its sockets close).</summary>
    public async Task WaitForSendersAsync()
    {
        var all = Task.WhenAll(_lanes);
        var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(120)));
        _stop.Cancel();
        if (finished != all) throw new TimeoutException("senders were still waiting for answers two minutes after the server went away");
        await all;
    }

    public sealed record Figures(int Sent, int Acknowledged, int FoundAfterRestart, int UnacknowledgedButCommitted,
        int ClosedCalls, int UnavailableCalls, int Conversations, long LongestConversation);

    /// <summary>Checks, over the hub of the restarted server, that every acknowledged message is there exactly
    /// once with its id and seq, that no echoId appears twice in a conversation, and that seqs run 1..N without
    /// a gap in both the agents' and the contact's view. Returns the figures; throws listing every violation.</summary>
    public async Task<Figures> VerifyAsync(ServerProcess restarted, ITestOutputHelper output)
    {
        var problems = new List<string>();
        var found = 0;
        var acknowledgedFound = 0;
        var unacknowledgedButCommitted = 0;
        long longest = 0;
        var acknowledgedById = _acknowledged.GroupBy(a => a.Message.Id).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var duplicate in acknowledgedById.Where(g => g.Value.Count > 1))
            problems.Add($"message id {duplicate.Key} was acknowledged for {duplicate.Value.Count} different sends");
        foreach (var ack in _acknowledged)
        {
            if (ack.Message.EchoId != ack.Attempt.EchoId || ack.Message.ConversationId != ack.Attempt.ConversationId)
                problems.Add($"{ack.Attempt.EchoId}: acknowledged as echoId {ack.Message.EchoId} in conversation {ack.Message.ConversationId}");
        }

        var agent = await ConnectAsync(restarted, restarted.AgentToken);
        await using var agentConnection = agent.HubConnection;
        foreach (var customer in _customers)
        {
            var contact = await ConnectAsync(restarted, customer.Contact.PubsubToken);
            await using var contactConnection = contact.HubConnection;
            var agentView = await ReadAllAsync(agent, customer.ConversationId);
            var contactView = await ReadAllAsync(contact, customer.ConversationId);
            var label = $"conversation {customer.ConversationId}";
            CheckGapFree(problems, $"{label} (agents' view)", agentView);
            CheckGapFree(problems, $"{label} (contact's view)", contactView);
            longest = Math.Max(longest, agentView.Seq);

            var contactSeqById = contactView.Messages.GroupBy(m => m.Id).ToDictionary(g => g.Key, g => g.First().Seq);
            foreach (var echoGroup in agentView.Messages.GroupBy(m => (m.Sender?.Type, m.EchoId)).Where(g => g.Count() > 1))
                problems.Add($"{label}: echoId {echoGroup.Key.EchoId} of a {echoGroup.Key.Type} is stored {echoGroup.Count()} times");
            foreach (var message in agentView.Messages)
            {
                found++;
                if (message.EchoId is null || !_attempts.TryGetValue(message.EchoId, out var attempt))
                {
                    problems.Add($"{label}: message {message.Id} (echoId {message.EchoId ?? "none"}) was never sent");
                    continue;
                }
                if (attempt.ConversationId != customer.ConversationId || attempt.Content != message.Content || attempt.SenderType != message.Sender?.Type)
                    problems.Add($"{label}: message {message.Id} does not match what {attempt.EchoId} sent");
                if (!acknowledgedById.ContainsKey(message.Id)) unacknowledgedButCommitted++;
                if (!contactSeqById.ContainsKey(message.Id)) problems.Add($"{label}: message {message.Id} is missing from the contact's view");
            }

            var agentSeqById = agentView.Messages.GroupBy(m => m.Id).ToDictionary(g => g.Key, g => g.First());
            foreach (var ack in _acknowledged.Where(a => a.Attempt.ConversationId == customer.ConversationId))
            {
                if (!agentSeqById.TryGetValue(ack.Message.Id, out var stored))
                {
                    problems.Add($"{label}: acknowledged message {ack.Message.Id} ({ack.Attempt.EchoId}, seq {ack.Message.Seq}) is lost");
                    continue;
                }
                acknowledgedFound++;
                if (stored.EchoId != ack.Attempt.EchoId) problems.Add($"{label}: message {stored.Id} has echoId {stored.EchoId}, acknowledged as {ack.Attempt.EchoId}");
                // A send's answer carries the seq of the sender's view.
                var storedSeq = ack.Attempt.SenderType == SenderTypes.Contact ? contactSeqById.GetValueOrDefault(ack.Message.Id) : stored.Seq;
                if (storedSeq != ack.Message.Seq)
                    problems.Add($"{label}: message {stored.Id} ({ack.Attempt.EchoId}) was acknowledged with seq {ack.Message.Seq}, stored with {storedSeq}");
            }

            // The seq counter survived too: the next change takes N+1.
            var next = await contact.SendMessageAsync(new SendMessageRequest { ConversationId = customer.ConversationId, Content = "after the restart" });
            if (next.Seq != contactView.Seq + 1) problems.Add($"{label}: the first message after the restart got seq {next.Seq}, not {contactView.Seq + 1}");
        }

        // The file's own check, where the store is a SQLite file (the other stores have their own tests).
        var integrity = restarted.UsesSqliteFile ? IntegrityCheck(restarted.DbPath) : "not a SQLite file";
        if (restarted.UsesSqliteFile && integrity != "ok") problems.Add($"PRAGMA integrity_check: {integrity}");

        var figures = new Figures(Sent, AcknowledgedCount, found, unacknowledgedButCommitted, ClosedCalls, UnavailableCalls,
            _customers.Count, longest);
        output.WriteLine($"sent: {figures.Sent} (calls made, each with a distinct echoId)");
        output.WriteLine($"acknowledged: {figures.Acknowledged}");
        output.WriteLine($"found after restart: {figures.FoundAfterRestart} (in {figures.Conversations} conversations, longest {figures.LongestConversation} messages)");
        output.WriteLine($"acknowledged and found exactly once: {acknowledgedFound}");
        output.WriteLine($"unacknowledged but committed: {figures.UnacknowledgedButCommitted}");
        output.WriteLine($"calls cut off by the closing connection: {figures.ClosedCalls}; answered 'unavailable': {figures.UnavailableCalls}");
        output.WriteLine($"database integrity_check: {integrity}");
        foreach (var problem in problems.Take(50)) output.WriteLine($"PROBLEM: {problem}");
        if (problems.Count > 0)
            throw new Xunit.Sdk.XunitException($"{problems.Count} delivery guarantee violations, e.g.:\n{string.Join('\n', problems.Take(20))}");
        return figures;
    }

    private static void CheckGapFree(List<string> problems, string label, (IReadOnlyList<MessageDto> Messages, long Seq) view)
    {
        var seqs = view.Messages.Select(m => m.Seq).ToList();
        var expected = Enumerable.Range(1, (int)view.Seq).Select(s => (long)s).ToList();
        if (!seqs.SequenceEqual(expected))
        {
            var missing = expected.Except(seqs).Take(10);
            var duplicated = seqs.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).Take(10);
            problems.Add($"{label}: seqs are not 1..{view.Seq} in order (got {seqs.Count}; missing {string.Join(",", missing)}; repeated {string.Join(",", duplicated)})");
        }
    }

    /// <summary>Every change after seq 0, paging with afterSeq as a reconnecting client does.</summary>
    private static async Task<(IReadOnlyList<MessageDto> Messages, long Seq)> ReadAllAsync(ChatHubProxy hub, long conversationId)
    {
        var messages = new List<MessageDto>();
        long afterSeq = 0, seq = 0;
        for (var page = 0; page < 10_000; page++)
        {
            var result = await hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversationId, AfterSeq = afterSeq, Limit = 100 });
            messages.AddRange(result.Messages);
            seq = result.Conversation.Seq;
            if (!result.HasMore || result.Messages.Count == 0) break;
            afterSeq = result.Messages[^1].Seq;
        }
        return (messages, seq);
    }

    private static string IntegrityCheck(string dbPath)
    {
        using var connection = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return Convert.ToString(command.ExecuteScalar()) ?? "no answer";
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (var customer in _customers) await customer.Hub.HubConnection.DisposeAsync();
        await _agent.HubConnection.DisposeAsync();
        _stop.Dispose();
    }
}
