using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>Sends repeated with the same echoId (by the app after a timeout, or by the connection after a
/// lost socket) store and deliver one message; so does a lost answer that stateful reconnect replays.</summary>
public sealed class SendRetryTests
{
    [Fact]
    public async Task The_same_send_repeated_after_a_timeout_stores_and_delivers_one_message()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken);
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });
        var request = new SendMessageRequest { ConversationId = conversation.Id, Content = "once", EchoId = "retry-1" };

        proxy.Pause(); // the network stalls: the send leaves, nothing comes back
        using (var timeout = new CancellationTokenSource())
        {
            var first = customer.Connection.SendMessageAsync(request, timeout.Token);
            timeout.Cancel(); // the app gives up waiting...
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        }
        var again = customer.Connection.SendMessageAsync(request); // ...and tries again
        proxy.Resume();
        var message = await again.WaitAsync(TimeSpan.FromSeconds(30));

        var barrier = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "after" });
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.EchoId == "retry-1");
        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, ["after"]);

        Assert.Single(handedOver, m => m.EchoId == "retry-1");
        Assert.Equal(message.Id, handedOver.Single(m => m.EchoId == "retry-1").Id);
        // Barrier on the agent's connection (its own "after" is not pushed back to it): a message of another customer, written
        // after the retry was answered, reaches it; a second push of retry-1 would have come before.
        var bea = await server.CreateContact("Bea");
        var later = await server.StartConversation(bea, "a later customer");
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == later.Messages[0].Id);
        Assert.Single(agent.Pushes.All<Pushed.MessageCreated>(), m => m.Message.EchoId == "retry-1");
        Assert.Equal(["hi", "once", "after"], (await SequenceAssert.StoredMessages(server, conversation.Id)).Select(m => m.Content));
        Assert.Equal(barrier.Seq - 1, message.Seq);
    }

    /// <param name="statefulReconnect">On, the server replays the lost answer on the resumed connection; off, the
    /// connection sends again with the same echoId after the reconnect and the server answers with the stored message.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_send_whose_answer_is_lost_with_the_socket_completes_once_with_the_stored_message(bool statefulReconnect)
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken, statefulReconnect: statefulReconnect);
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        // The send reaches the server and is stored, but its answer is held and then lost with the socket.
        proxy.Pause(toServer: false, toClient: true);
        var send = customer.Connection.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "lost answer" });
        var stored = await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "lost answer");
        proxy.DropAll();
        proxy.Resume();
        var message = await send.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(message.EchoId); // the connection gave it one, so the server recognised the retry
        Assert.Equal(stored.Message.Id, message.Id);
        Assert.Single(await SequenceAssert.StoredMessages(server, conversation.Id), m => m.Content == "lost answer");
        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, ["lost answer"]);
        Assert.Single(handedOver, m => m.Content == "lost answer");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_first_message_retried_across_a_lost_socket_starts_one_conversation(bool statefulReconnect)
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken, statefulReconnect: statefulReconnect);

        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);

        proxy.Pause(toServer: false, toClient: true); // stored, answer lost
        var start = customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "help" } });
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "help");
        proxy.DropAll();
        proxy.Resume();
        var conversation = await start.WaitAsync(TimeSpan.FromSeconds(30));

        await using var reader = await HubSession.ConnectAsync(server, contact.PubsubToken);
        Assert.Single(await reader.Hub.ListConversationsAsync(new ListConversationsRequest()));
        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, ["help"]);
        Assert.Single(handedOver);
        Assert.Single(customer.Seen.All<Pushed.ConversationCreated>());
    }
}
