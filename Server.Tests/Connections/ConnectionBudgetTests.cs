using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Common;
using ChatHub.Server.Hosting;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatHub.Server.Tests.Connections;

/// <summary>Connections are a budget, not a crash (issue 20): a security review's sockets that neither authenticate
/// nor subscribe (/cable) and hub connections on free contact tokens are refused past their caps (503 before the
/// upgrade, or a handshake error and a close), the server stays up, an agent still connects, and every slot comes
/// back when its connection ends. Small caps keep it fast: 60 realtime connections, half of them for the public,
/// 20 per address. Clients claim addresses with X-Forwarded-For, which the server trusts from loopback.</summary>
public sealed class ConnectionBudgetTests
{
    private const int Total = 60, PublicShare = 30, PerAddress = 20;
    private const string Office = "198.51.100.7";

    private static Dictionary<string, string?> SmallCaps(int subscribeTimeoutSeconds = 300, int publicPercent = PublicShare * 100 / Total) => new()
    {
        ["Limits:MaxRealtimeConnections"] = $"{Total}",
        ["Limits:PublicConnectionsPercent"] = $"{publicPercent}",
        ["Limits:MaxUnsubscribedSocketsPerAddress"] = $"{PerAddress}",
        ["Limits:MaxContactConnectionsPerAddress"] = $"{PerAddress}",
        ["Limits:CableSubscribeTimeoutSeconds"] = $"{subscribeTimeoutSeconds}",
    };

    [Fact]
    public async Task Sockets_and_contact_connections_past_the_caps_are_refused_while_an_agent_still_connects_and_chats()
    {
        await using var server = await ChatServer.StartAsync(settings: SmallCaps());
        var budget = server.App.Services.GetRequiredService<ConnectionBudget>();
        var open = new List<IAsyncDisposable>();
        try
        {
            // Contacts on one IPv6 /64, from two of its addresses: one budget of 20.
            var contacts = new List<HubSession>();
            for (var i = 0; i < PerAddress + 5; i++)
            {
                var contact = await server.CreateContact($"visitor {i}");
                var address = i % 2 == 0 ? "2001:db8:7:7::1" : "2001:db8:7:7:ffff::2";
                if (i < PerAddress)
                {
                    contacts.Add(await HubSession.ConnectAsync(server, contact.PubsubToken, forwardedFor: address));
                    open.Add(contacts[^1]);
                }
                else
                {
                    AssertRefusedWith503(await Assert.ThrowsAnyAsync<Exception>(() =>
                        HubSession.ConnectAsync(server, contact.PubsubToken, forwardedFor: address)));
                }
            }
            // Unsubscribed /cable sockets from this machine fill the public share (30): 10 more, then 503.
            for (var i = 0; i < PublicShare - PerAddress; i++)
            {
                var (cable, status, _) = await RawCable.TryConnectAsync(server.BaseUrl);
                Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
                open.Add(cable!);
            }
            var refused = await RawCable.TryConnectAsync(server.BaseUrl);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "5"), (refused.Status, refused.RetryAfter));
            // The share holds for every address, over both transports.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await RawCable.TryConnectAsync(server.BaseUrl, "192.0.2.9")).Status);
            var stranger = await server.CreateContact("stranger");
            AssertRefusedWith503(await Assert.ThrowsAnyAsync<Exception>(() =>
                HubSession.ConnectAsync(server, stranger.PubsubToken, skipNegotiation: true, forwardedFor: "192.0.2.10")));
            Assert.Equal(PublicShare, budget.Open);

            // Agents have the rest, all from one office address (never held per address), up to the total.
            var agents = new List<HubSession>();
            for (var i = 0; i < Total - PublicShare; i++)
            {
                agents.Add(await HubSession.ConnectAsync(server, server.AgentToken, forwardedFor: Office));
                open.Add(agents[^1]);
            }
            AssertRefusedWith503(await Assert.ThrowsAnyAsync<Exception>(() =>
                HubSession.ConnectAsync(server, server.AgentToken, forwardedFor: Office)));
            Assert.Equal(Total, budget.Open);

            // The server is up, and a customer's message reaches an agent.
            (await server.Http.GetAsync("/healthz")).EnsureSuccessStatusCode();
            var conversation = await contacts[0].Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "still here?" } });
            var created = await agents[0].Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
            var reply = await agents[^1].Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "yes" });
            await contacts[0].Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
            Assert.Equal(conversation.Id, created.Conversation.Id);

            var metrics = await server.Http.GetStringAsync("/metrics");
            Assert.Contains("chathub_connections_refused_total", metrics);
            Assert.Contains("chathub_connections_budget_open", metrics);
        }
        finally
        {
            foreach (var connection in open) await connection.DisposeAsync();
        }
        await WaitUntil(() => budget.Open == 0, "every slot back");
    }

    [Fact]
    public async Task A_hub_connection_negotiated_while_there_was_room_is_refused_at_its_handshake_when_the_room_is_gone()
    {
        await using var server = await ChatServer.StartAsync(settings: SmallCaps());
        const string address = "203.0.113.5";
        var late = await server.CreateContact("late");
        using var http = server.BearerHttp(late.PubsubToken);
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        using var negotiated = await http.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null);
        negotiated.EnsureSuccessStatusCode();
        var connectionToken = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();

        var others = new List<HubSession>();
        try
        {
            for (var i = 0; i < PerAddress; i++)
                others.Add(await HubSession.ConnectAsync(server, (await server.CreateContact($"c{i}")).PubsubToken, forwardedFor: address));

            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-Forwarded-For", address);
            var url = new UriBuilder(server.BaseUrl)
            {
                Scheme = "ws", Path = HubPaths.Chat,
                Query = $"id={Uri.EscapeDataString(connectionToken!)}&access_token={Uri.EscapeDataString(late.PubsubToken)}",
            }.Uri;
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
            var answer = await ReceiveTextAsync(socket);
            Assert.Contains("\"error\":\"unavailable: too many connections from this address", answer);
            Assert.Equal(WebSocketMessageType.Close, (await socket.ReceiveAsync(new byte[1024], new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token)).MessageType);
        }
        finally
        {
            foreach (var session in others) await session.DisposeAsync();
        }
        var budget = server.App.Services.GetRequiredService<ConnectionBudget>();
        await WaitUntil(() => budget.Open == 0, "every slot back");
    }

    [Fact]
    public async Task Slots_come_back_when_connections_close_so_as_many_connect_again()
    {
        await using var server = await ChatServer.StartAsync(settings: SmallCaps(publicPercent: 100));
        var budget = server.App.Services.GetRequiredService<ConnectionBudget>();
        var tokens = new List<string>();
        for (var i = 0; i < PerAddress; i++) tokens.Add((await server.CreateContact($"c{i}")).PubsubToken);
        var contact = tokens[0];

        for (var round = 0; round < 3; round++)
        {
            var cables = new List<RawCable>();
            var sessions = new List<HubSession>();
            for (var i = 0; i < PerAddress; i++)
            {
                var (cable, status, _) = await RawCable.TryConnectAsync(server.BaseUrl);
                Assert.True(status == HttpStatusCode.SwitchingProtocols, $"round {round}, socket {i}: {status}");
                cables.Add(cable!);
                sessions.Add(await HubSession.ConnectAsync(server, tokens[i], forwardedFor: "2001:db8::5"));
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await RawCable.TryConnectAsync(server.BaseUrl)).Status);
            AssertRefusedWith503(await Assert.ThrowsAnyAsync<Exception>(() =>
                HubSession.ConnectAsync(server, contact, forwardedFor: "2001:db8::6")));
            Assert.Equal(2 * PerAddress, budget.Open);

            // Closed both ways a client goes: with a close handshake, and dropped without one.
            for (var i = 0; i < PerAddress; i++)
            {
                if (i % 2 == 0) cables[i].Abort();
                await cables[i].DisposeAsync();
                await sessions[i].DisposeAsync();
            }
            await WaitUntil(() => budget.Open == 0, $"round {round}: every slot back");
        }
    }

    [Fact]
    public async Task A_cable_socket_with_no_subscription_by_the_deadline_is_closed_and_a_subscribed_one_stays()
    {
        await using var server = await ChatServer.StartAsync(settings: SmallCaps(subscribeTimeoutSeconds: 1));
        var budget = server.App.Services.GetRequiredService<ConnectionBudget>();
        var contact = await server.CreateContact("Ann");
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await using var subscribed = await RawCable.ConnectAsync(server);
        await subscribed.Subscribe(identifier);
        await subscribed.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "confirm_subscription", "confirm_subscription");
        await using var idle = await RawCable.ConnectAsync(server);
        await using var rejected = await RawCable.ConnectAsync(server);
        await rejected.Subscribe(RawCable.Identifier("not-a-token"));
        await rejected.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "reject_subscription", "reject_subscription");

        await idle.WaitClosed();
        await rejected.WaitClosed();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, idle.CloseStatus);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, rejected.CloseStatus);

        // The subscribed socket, older than both, is still open: a message sent now reaches it.
        var conversation = await server.StartConversation(contact);
        using var agent = server.AgentHttp(server.AgentToken);
        var reply = await agent.PostRead<MessageDto>($"/api/v1/conversations/{conversation.Id}/messages", new { content = "hello" });
        await subscribed.WaitForBroadcast(identifier, "message.created", d => d.GetProperty("id").GetInt64() == reply.Id);
        await WaitUntil(() => budget.Open == 1, "the closed sockets' slots back");
    }

    [Fact]
    public async Task Long_polling_and_server_sent_events_connections_hold_a_slot_for_their_whole_life_too()
    {
        var settings = SmallCaps();
        settings["Limits:MaxContactConnectionsPerAddress"] = "2";
        await using var server = await ChatServer.StartAsync(settings: settings);
        var budget = server.App.Services.GetRequiredService<ConnectionBudget>();
        const string address = "2001:db8:9:9::1";
        HubConnection Connect(string token, HttpTransportType transport) => new HubConnectionBuilder()
            .WithChatHub(server.BaseUrl, token, http =>
            {
                http.Transports = transport;
                http.Headers["X-Forwarded-For"] = address;
            })
            .Build();

        await using var polling = Connect((await server.CreateContact("polling")).PubsubToken, HttpTransportType.LongPolling);
        await polling.StartAsync();
        await using var events = Connect((await server.CreateContact("events")).PubsubToken, HttpTransportType.ServerSentEvents);
        await events.StartAsync();
        await polling.InvokeAsync<long>("Ping", 1L); // a few polls later, still one slot
        Assert.Equal(2, budget.Open);
        // Counted under the client's address (not the proxy's): a third from that /64 is refused.
        await using var third = Connect((await server.CreateContact("third")).PubsubToken, HttpTransportType.LongPolling);
        AssertRefusedWith503(await Assert.ThrowsAnyAsync<Exception>(() => third.StartAsync()));

        await polling.StopAsync();
        await events.StopAsync();
        await WaitUntil(() => budget.Open == 0, "both slots back");
        await third.StartAsync();
        Assert.Equal(HubConnectionState.Connected, third.State);
    }

    [Fact]
    public async Task Kestrels_connection_cap_counts_upgraded_sockets_for_their_whole_life()
    {
        // 30 sockets under a cap of 40 TCP connections leave room for 10 plain connections, not 40 more.
        const int cap = 40, sockets = 30;
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxConnections"] = $"{cap}",
            ["Limits:MaxRealtimeConnections"] = $"{sockets}",
            ["Limits:PublicConnectionsPercent"] = "100",
            ["Limits:MaxUnsubscribedSocketsPerAddress"] = "0",
        });
        var cables = new List<RawCable>();
        var plain = new List<System.Net.Sockets.TcpClient>();
        try
        {
            for (var i = 0; i < sockets; i++)
            {
                var (cable, status, _) = await RawCable.TryConnectAsync(server.BaseUrl);
                Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
                cables.Add(cable!);
            }
            var answered = 0;
            for (var i = 0; i < cap; i++)
            {
                var tcp = new System.Net.Sockets.TcpClient();
                plain.Add(tcp);
                if (await AnswersHealthAsync(tcp, server.BaseUrl)) answered++;
            }
            Assert.InRange(answered, 1, cap - sockets);
        }
        finally
        {
            foreach (var tcp in plain) tcp.Dispose();
            foreach (var cable in cables) await cable.DisposeAsync();
        }
    }

    /// <summary>GET /healthz on a connection of its own, kept open; false when the server closed it unanswered.</summary>
    private static async Task<bool> AnswersHealthAsync(System.Net.Sockets.TcpClient tcp, Uri baseUrl)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port, timeout.Token);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {baseUrl.Authority}\r\n\r\n"), timeout.Token);
            var buffer = new byte[1024];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200");
        }
        catch (IOException)
        {
            return false;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_cap_above_the_open_files_limit_stops_the_start_with_one_line()
    {
        var dbPath = Path.Combine(TempDirectory.Create().Path, "chathub.db");
        foreach (var key in new[] { "Limits:MaxRealtimeConnections", "Limits:MaxConnections" })
        {
            var (exitCode, output) = await ServerProcess.RunUntilExitAsync(dbPath, new Dictionary<string, string> { [key] = "1000000000" });

            var line = output.Trim();
            Assert.True(exitCode == 1, $"exit code {exitCode}: {output}");
            Assert.StartsWith($"ChatHub cannot start: {key} is 1000000000: the process may open ", line);
            Assert.Contains("ulimit -n", line);
            Assert.DoesNotContain('\n', line);
        }
    }

    [Fact]
    public void Caps_are_derived_from_the_open_files_limit_and_configured_ones_must_fit_in_it()
    {
        Assert.Equal(new ConnectionLimit(19_488, 17_540), ConnectionLimit.Resolve(new ChatLimits(), 20_000));
        Assert.Equal(new ConnectionLimit(512, 461), ConnectionLimit.Resolve(new ChatLimits(), 1024));
        Assert.Equal(new ConnectionLimit(null, null), ConnectionLimit.Resolve(new ChatLimits(), null));
        Assert.Equal(new ConnectionLimit(19_488, 5_000), ConnectionLimit.Resolve(new ChatLimits { MaxRealtimeConnections = 5_000 }, 20_000));
        Assert.Equal(new ConnectionLimit(300, 270), ConnectionLimit.Resolve(new ChatLimits { MaxConnections = 300 }, 20_000));
        Assert.Equal(new ConnectionLimit(null, 1_000_000), ConnectionLimit.Resolve(new ChatLimits { MaxRealtimeConnections = 1_000_000 }, null));

        Assert.Contains("Limits:MaxRealtimeConnections is 19489: the process may open 20000 files and keeps 512",
            Assert.Throws<InvalidSettingsException>(() => ConnectionLimit.Resolve(new ChatLimits { MaxRealtimeConnections = 19_489 }, 20_000)).Message);
        Assert.Contains("Limits:MaxConnections is 20000:",
            Assert.Throws<InvalidSettingsException>(() => ConnectionLimit.Resolve(new ChatLimits { MaxConnections = 20_000 }, 20_000)).Message);
        Assert.Contains("Limits:MaxRealtimeConnections is 301: it must not exceed Limits:MaxConnections (300)",
            Assert.Throws<InvalidSettingsException>(() => ConnectionLimit.Resolve(new ChatLimits { MaxConnections = 300, MaxRealtimeConnections = 301 }, 20_000)).Message);
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    public void The_address_key_is_IPv4_as_is_IPv6_by_its_64_and_mapped_IPv4_as_IPv4(string address, string key) =>
        Assert.Equal(key, ClientAddress.KeyOf(IPAddress.Parse(address)));

    [Fact]
    public void An_unknown_address_has_a_key_too() => Assert.Equal("unknown", ClientAddress.KeyOf((IPAddress?)null));

    [Fact]
    public async Task Contact_creations_from_two_addresses_of_one_IPv6_64_share_one_budget()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:ContactCreationsPerMinutePerAddress"] = "4",
        });
        async Task<HttpStatusCode> CreateFrom(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.ClientApi}/contacts")
            {
                Content = new StringContent("{\"name\":\"visitor\"}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await server.Http.SendAsync(request);
            return response.StatusCode;
        }

        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, await CreateFrom(i % 2 == 0 ? "2001:db8:5:6::1" : "2001:db8:5:6:a:b:c:d"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CreateFrom("2001:db8:5:6::99"));
        Assert.Equal(HttpStatusCode.OK, await CreateFrom("2001:db8:5:7::1")); // the next /64 is another budget
    }

    /// <summary>The client's own report of a 503 (to its negotiate, or to its WebSocket upgrade when it skips negotiation).</summary>
    private static void AssertRefusedWith503(Exception refused) => Assert.Contains("503", refused.Message);

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    /// <summary>A bound against hanging, not a speed assertion: slots are released as the server notices each close.</summary>
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not reached: {what}");
            await Task.Delay(50);
        }
    }
}
