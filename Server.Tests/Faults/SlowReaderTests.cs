using System.Diagnostics;
using System.Text.RegularExpressions;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Faults;

/// <summary>Issue 9, the security review's reproduction: clients that complete the handshake and then stop reading
/// must not pump the server's memory (Channels/Hub/SlowReaderGuard). A real server process, so that its resident memory
/// can be read from /proc; real WebSockets whose kernel receive buffer is small, so the server soon cannot send.</summary>
public sealed partial class SlowReaderTests(ITestOutputHelper output)
{
    private const int StalledClients = 10;
    private const int Messages = 6_000;
    private const int MessageChars = 8 * 1024;
    private const int SenderLanes = 8;
    private const long Budget = 1024 * 1024;
    private const long AllowedGrowth = 150L * 1024 * 1024;

    [Fact]
    public async Task Clients_that_stop_reading_are_closed_and_server_memory_stays_flat_while_reading_clients_get_every_push()
    {
        await using var server = await ServerProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Limits:MessagesPerWindow"] = "0",
            ["Limits:MaxUnsentBytesPerConnection"] = Budget.ToString(),
        });
        var contact = await server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", new { name = "Stalled" });
        var conversation = await server.Http.PostRead<ConversationDto>(
            $"{server.ClientApi}/contacts/{contact.SourceId}/conversations", new { });

        // All ten in the contact's group: every message below is pushed to each of them.
        var stalled = new List<RawHubSocket>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var k = 0; k < StalledClients; k++)
                stalled.Add(await RawHubSocket.ConnectStalledAsync(server.BaseUrl, contact.PubsubToken));
            // Bystanders that read: the same contact on another device, and the agent on another tab (the sender's own
            // connection does not get its own message).
            await using var customer = await RawHubSocket.ConnectAsync(server.BaseUrl, contact.PubsubToken);
            await using var agentTab = await RawHubSocket.ConnectAsync(server.BaseUrl, server.AgentToken);
            var sender = await SendBurst.ConnectAsync(server, server.AgentToken);
            await using var senderConnection = sender.HubConnection;

            // An attacker keeps its connections alive: SignalR closes a client it has not heard from for 30 s.
            var keepAlive = Task.Run(() => PingAsync(stalled, stop.Token));
            var before = Rss(server.ProcessId, "VmRSS");
            var peakRss = Task.Run(() => SamplePeakRssAsync(server.ProcessId, stop.Token));

            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, SenderLanes).Select(lane => SendAsync(sender, conversation.Id, lane)));
            var sent = clock.Elapsed;
            await WaitUntilAsync(() => customer.PushesOf("MessageCreated") >= Messages && agentTab.PushesOf("MessageCreated") >= Messages,
                () => $"bystanders got {customer.PushesOf("MessageCreated")} and {agentTab.PushesOf("MessageCreated")} of {Messages} pushes");
            var delivered = clock.Elapsed;
            await stop.CancelAsync();
            await keepAlive;
            var peak = await peakRss;
            var after = Rss(server.ProcessId, "VmRSS");
            var guardLines = GuardLine().Matches(server.Log).Count;
            output.WriteLine($"{Messages} messages of {MessageChars} chars sent in {sent.TotalSeconds:F1} s, all delivered to both bystanders at {delivered.TotalSeconds:F1} s");
            output.WriteLine($"server RSS: before {Mib(before)} MiB, peak {Mib(peak)} MiB (+{Mib(peak - before)}), after the burst {Mib(after)} MiB; VmHWM {Mib(Rss(server.ProcessId, "VmHWM"))} MiB");
            output.WriteLine($"the guard closed {guardLines} connections");

            Assert.Equal(Messages, customer.PushesOf("MessageCreated"));
            Assert.Equal(Messages, agentTab.PushesOf("MessageCreated"));
            Assert.False(customer.IsClosed);
            Assert.False(agentTab.IsClosed);
            Assert.True(peak - before < AllowedGrowth,
                $"server RSS grew by {Mib(peak - before)} MiB (before {Mib(before)}, peak {Mib(peak)}), allowed {Mib(AllowedGrowth)}");
            Assert.Equal(StalledClients, guardLines);

            // Closed by the server: each stalled client now reads what its socket still holds and must meet the end of
            // the connection (one still open would receive its backlog, then wait for more pushes).
            foreach (var socket in stalled) socket.StartReading();
            var reasons = await Task.WhenAll(stalled.Select(s => s.Closed)).WaitAsync(TimeSpan.FromSeconds(120));
            foreach (var reason in reasons.Distinct()) output.WriteLine($"stalled client: {reason}");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var socket in stalled) await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_reply_far_bigger_than_the_budget_reaches_a_client_that_reads()
    {
        // The budget bounds what waits in front of a message, not the message: a page of history may be big.
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxUnsentBytesPerConnection"] = "16384",
        });
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact);
        using var agent = server.AgentHttp(server.AgentToken);
        for (var i = 0; i < 20; i++)
        {
            (await agent.PostJson($"/api/v1/conversations/{conversation.Id}/messages",
                new { content = $"page {i} " + new string('x', MessageChars) })).EnsureSuccessStatusCode();
        }
        await using var socket = await RawHubSocket.ConnectAsync(server.BaseUrl, contact.PubsubToken);

        for (var call = 1; call <= 2; call++)
        {
            var id = call.ToString();
            var page = await socket.InvokeAsync(id,
                $$"""{"type":1,"invocationId":"{{id}}","target":"GetMessages","arguments":[{"conversationId":{{conversation.Id}},"limit":20}]}""");
            Assert.NotNull(page);
            Assert.Null(page.Error);
            Assert.Equal(20, page.Result!.Value.GetProperty("messages").GetArrayLength());
            Assert.True(page.Result.Value.GetRawText().Length > 10 * 16384);
        }
        Assert.False(socket.IsClosed);
    }

    private static async Task SendAsync(ChatHubProxy sender, long conversationId, int lane)
    {
        for (var i = lane; i < Messages; i += SenderLanes)
        {
            var prefix = $"slow-reader {i} ";
            await sender.SendMessageAsync(new SendMessageRequest
            {
                ConversationId = conversationId,
                Content = prefix + new string('x', MessageChars - prefix.Length),
                EchoId = $"s{i}",
            });
        }
    }

    private static async Task PingAsync(IReadOnlyList<RawHubSocket> sockets, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                foreach (var socket in sockets.Where(s => !s.IsClosed))
                    await socket.SendTextAsync("{\"type\":6}" + RawHubSocket.RecordSeparator);
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The highest VmRSS seen, sampled until <paramref name="stop"/>.</summary>
    private static async Task<long> SamplePeakRssAsync(int pid, CancellationToken stop)
    {
        var peak = 0L;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, Rss(pid, "VmRSS"));
            try { await Task.Delay(20, stop); } catch (OperationCanceledException) { }
        }
        return Math.Max(peak, Rss(pid, "VmRSS"));
    }

    /// <summary>A line of /proc/PID/status (VmRSS: resident now, VmHWM: highest resident since start), in bytes.</summary>
    private static long Rss(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    /// <summary>Waits for <paramref name="done"/> (a bound against hanging, not a speed assertion).</summary>
    private static async Task WaitUntilAsync(Func<bool> done, Func<string> state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(state());
            await Task.Delay(50);
        }
    }

    [GeneratedRegex("Closing connection \\S+: \\d+ bytes wait to be sent to it")]
    private static partial Regex GuardLine();
}
