using System.Diagnostics;
using System.Globalization;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static ChatHub.Server.Tests.ScaleOut.CrossNodeDeliveryTests;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Back after Redis returns (issue 20): Redis is killed and restarted; each node then accepts new hub
/// connections again and pushes cross nodes. How long each node still refused hub connections after Redis answered
/// again is written to the test output (never asserted: the machine is noisy), over as many restarts as
/// <c>CHATHUB_REDIS_RESTARTS</c> says (1 by default; README "Scale-out" has figures over 10).</summary>
public sealed class RedisReturnTests(ITestOutputHelper output)
{
    /// <summary>A bound against hanging, not a timing check.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_Redis_restarts_each_node_accepts_hub_connections_again_and_pushes_cross_nodes()
    {
        var restarts = int.TryParse(Environment.GetEnvironmentVariable("CHATHUB_REDIS_RESTARTS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        await using var nodes = await TwoNodes.StartAsync();
        var refusedFor = new Dictionary<string, List<double>> { ["A"] = [], ["B"] = [] };
        for (var round = 0; round < restarts; round++)
        {
            // Outages of 2 to 8 s, the range measured in the issue.
            var outage = TimeSpan.FromSeconds(restarts == 1 ? 2 : 2 + 6.0 * round / (restarts - 1));
            var killedAt = Stopwatch.GetTimestamp();
            await nodes.Redis.StopAsync(); // SIGKILL
            await TwoNodes.WaitForHealth(nodes.A, "degraded");
            await TwoNodes.WaitForHealth(nodes.B, "degraded");
            var rest = outage - Stopwatch.GetElapsedTime(killedAt);
            if (rest > TimeSpan.Zero) await Task.Delay(rest);

            // Both nodes are tried all along (refused with 503 until they are back), as a client's reconnect loop would.
            using var stop = new CancellationTokenSource(Patience);
            var acceptedByA = FirstAcceptedConnectionAsync(nodes.A, stop.Token);
            var acceptedByB = FirstAcceptedConnectionAsync(nodes.B, stop.Token);
            await nodes.Redis.StartAgainAsync(); // same port, empty: the nodes must subscribe everything again
            var answeredAt = nodes.Redis.AnsweredAt;
            var a = Stopwatch.GetElapsedTime(answeredAt, await acceptedByA).TotalMilliseconds;
            var b = Stopwatch.GetElapsedTime(answeredAt, await acceptedByB).TotalMilliseconds;
            refusedFor["A"].Add(a);
            refusedFor["B"].Add(b);
            output.WriteLine($"restart {round + 1}: Redis away {outage.TotalSeconds:F1} s; first hub connection accepted {a:F0} ms (node A), {b:F0} ms (node B) after Redis answered PING");

            await PushesCrossNodesAsync(nodes, round);
        }
        foreach (var (node, delays) in refusedFor)
        {
            delays.Sort();
            output.WriteLine($"node {node}, {delays.Count} restarts: min {delays[0]:F0} ms, median {Median(delays):F0} ms, max {delays[^1]:F0} ms");
        }
    }

    /// <summary>A customer on A and an agent on B, both connected after the restart: the conversation started on A
    /// reaches the agent, the agent's reply reaches the customer.</summary>
    private static async Task PushesCrossNodesAsync(TwoNodes nodes, int round)
    {
        var contact = await nodes.A.CreateContact($"Ann {round}");
        await using var customer = await Ready(nodes.A, contact.PubsubToken);
        await using var agent = await Ready(nodes.B, nodes.B.AgentToken);
        var conversation = await customer.Hub.StartConversation(new StartConversationRequest { Message = new NewMessage { Content = $"back {round}" } });
        await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id, Patience);
        var reply = await agent.Hub.SendMessage(new SendMessageRequest { ConversationId = conversation.Id, Content = $"welcome back {round}" });
        var received = await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id, Patience);
        Assert.Equal($"welcome back {round}", received.Message.Content);
    }

    /// <summary>Opens a hub connection to <paramref name="node"/> every 20 ms (WebSockets without negotiation: the
    /// upgrade is the first request, answered 503 while the node is degraded) until one is accepted (its handshake
    /// answered, so it is in its groups); returns when, on the <see cref="Stopwatch"/> clock.</summary>
    private static async Task<long> FirstAcceptedConnectionAsync(ChatServer node, CancellationToken stop)
    {
        Exception? last = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var session = await HubSession.ConnectAsync(node, node.AgentToken, skipNegotiation: true);
                return Stopwatch.GetTimestamp();
            }
            catch (Exception ex)
            {
                last = ex;
            }
            await Task.Delay(20, CancellationToken.None);
        }
        throw new TimeoutException($"{node.BaseUrl} accepted no hub connection within {Patience.TotalSeconds} s of Redis's restart", last);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
