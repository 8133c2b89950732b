using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>A drop short enough for stateful reconnect: the official client reconnects the WebSocket to the same
/// server process on the same connection, and each side replays what it sent that the other had not acknowledged.
/// The app sees nothing of it: no Reconnecting, nothing lost, nothing to fetch.</summary>
public sealed class StatefulReconnectTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_brief_drop_loses_nothing_raises_no_Reconnecting_and_needs_no_catch_up()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken);
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });
        var connectionId = customer.Connection.ConnectionId;
        var acceptedBefore = proxy.Accepted;

        // Everything the server sends the customer is held on the wire and then lost with the socket: the answer
        // to a send of the customer's that reached the server, then ten replies.
        proxy.Pause(toServer: false, toClient: true);
        var send = customer.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "c0", EchoId = "c0" });
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.EchoId == "c0");
        var replies = Enumerable.Range(0, 10).Select(i => $"a{i}").ToList();
        foreach (var reply in replies)
            await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = reply });
        proxy.DropAll();
        proxy.Resume();
        var sent = await send.WaitAsync(Patience);
        // The resumed connection is still in its groups: this one is pushed live.
        var after = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "after" });

        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, ["c0", .. replies, "after"]);
        SequenceAssert.OnceEachInSeqOrder(handedOver);
        Assert.Equal(["hi", "c0", .. replies, "after"], handedOver.Select(m => m.Content));
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), handedOver.Select(m => m.Seq));
        Assert.Equal((2L, 13L), (sent.Seq, after.Seq));
        Assert.Empty(customer.Log.Names); // no Reconnecting, no Reconnected
        Assert.Equal(0, customer.Connection.CatchUpFetches); // the server replayed what was lost: nothing to fetch
        Assert.Equal(connectionId, customer.Connection.ConnectionId); // the same connection...
        Assert.True(proxy.Accepted > acceptedBefore); // ...on a new socket
        Assert.Equal(13, (await SequenceAssert.StoredMessages(server, conversation.Id)).Count);
    }
}
