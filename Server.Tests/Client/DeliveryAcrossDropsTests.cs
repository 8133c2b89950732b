using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>The network fails in the middle of a burst (a TCP proxy resets the socket, and refuses connections
/// for a while, longer than stateful reconnect bridges): afterwards the app has been handed every message exactly
/// once, in seq order, every send completed once, and the server stored one message per echoId.</summary>
[Trait("Run", "EveryStore")] // catching up after a drop reads the store
public sealed class DeliveryAcrossDropsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_customers_burst_cut_off_mid_way_is_stored_once_and_handed_over_once_in_seq_order()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hello" } });

        // In flight when the socket is reset: some acknowledged, some stored with the answer lost, some not sent.
        var sends = Enumerable.Range(0, 20).Select(i => Send(customer, conversation.Id, $"m{i}")).ToList();
        await Task.WhenAll(sends.Take(3)).WaitAsync(Patience);
        proxy.RefuseConnections = true;
        proxy.DropAll();
        await customer.Log.WaitFor("Reconnecting");
        // Made while disconnected: they wait for the reconnect.
        sends.AddRange(Enumerable.Range(20, 10).Select(i => Send(customer, conversation.Id, $"m{i}")));
        proxy.RefuseConnections = false;

        var acknowledged = await Task.WhenAll(sends).WaitAsync(Patience);
        var echoIds = Enumerable.Range(0, 30).Select(i => $"m{i}").ToList();
        Assert.Equal(echoIds, acknowledged.Select(m => m.EchoId));
        Assert.Equal(30, acknowledged.Select(m => m.Id).Distinct().Count());

        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, echoIds);
        SequenceAssert.OnceEachInSeqOrder(handedOver);
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), handedOver.Select(m => m.Seq)); // "hello" is 1
        Assert.Equal(acknowledged.Select(m => m.Id).Order(), handedOver.Where(m => m.EchoId != null && m.EchoId.StartsWith('m')).Select(m => m.Id).Order());

        var stored = await SequenceAssert.StoredMessages(server, conversation.Id);
        Assert.Equal(31, stored.Count);
        Assert.Equal(echoIds.Order(), stored.Select(m => m.EchoId).OfType<string>().Where(e => e.StartsWith('m')).Order());
        Assert.True(customer.Log.Names.Count(n => n == "Reconnected") >= 1);
    }

    [Fact]
    public async Task An_agents_burst_to_a_customer_whose_socket_is_cut_is_handed_over_once_each_in_seq_order()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken);
        customer.Connection.ResyncPageSize = 4; // the catch-up takes several pages
        await using var agent = await ReliableApp.ConnectAsync(server.BaseUrl, server.AgentToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        var contents = Enumerable.Range(0, 30).Select(i => $"a{i}").ToList();
        var burst = Task.Run(async () =>
        {
            foreach (var content in contents)
                await agent.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = content });
        });
        await customer.Seen.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "a4", Patience);
        proxy.RefuseConnections = true;
        proxy.DropAll();
        await burst.WaitAsync(Patience); // the rest of the burst goes out while the customer is away
        proxy.RefuseConnections = false;

        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, contents);
        SequenceAssert.OnceEachInSeqOrder(handedOver);
        Assert.Equal(["hi", .. contents], handedOver.Select(m => m.Content));
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), handedOver.Select(m => m.Seq));
        Assert.Empty(customer.Seen.All<Pushed.MessageUpdated>());
        Assert.Equal(31, (await SequenceAssert.StoredMessages(server, conversation.Id)).Count);
    }

    /// <param name="statefulReconnect">On, the drop is bridged by stateful reconnect (the same connection resumes
    /// and both sides replay what the other missed); off, both apps reconnect and catch up by seq.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Both_sides_cut_at_once_still_see_every_message_once_in_seq_order(bool statefulReconnect)
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken, statefulReconnect: statefulReconnect);
        await using var agent = await ReliableApp.ConnectAsync(proxy.Url, server.AgentToken, statefulReconnect: statefulReconnect);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });
        // The agent's app tracks a conversation from the first change it sees; let that be the start, not its own
        // first send (which could otherwise race ahead of the ConversationCreated push).
        await SequenceAssert.WaitForContents(agent, conversation.Id, ["hi"]);

        var sends = new List<Task<MessageDto>>();
        for (var i = 0; i < 15; i++)
        {
            sends.Add(Send(customer, conversation.Id, $"c{i}"));
            sends.Add(agent.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"a{i}", EchoId = $"a{i}" }));
            if (i == 5) proxy.DropAll(); // both sockets reset mid-burst; they reconnect at once
        }
        await Task.WhenAll(sends).WaitAsync(Patience);

        var all = Enumerable.Range(0, 15).SelectMany(i => new[] { $"c{i}", $"a{i}" }).ToList();
        foreach (var app in new[] { customer, agent })
        {
            var handedOver = await SequenceAssert.WaitForContents(app, conversation.Id, all);
            SequenceAssert.OnceEachInSeqOrder(handedOver);
            Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), handedOver.Select(m => m.Seq));
        }
        Assert.Equal(31, (await SequenceAssert.StoredMessages(server, conversation.Id)).Count);
    }

    private static Task<MessageDto> Send(ReliableApp app, long conversationId, string text) =>
        app.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversationId, Content = text, EchoId = text });
}
