using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>A push that skips a seq makes the connection fetch what it missed (GetMessages {afterSeq}) before
/// handing the push over; conversation-level changes missed meanwhile arrive as one ConversationUpdated.</summary>
public sealed class GapFillTests
{
    [Fact]
    public async Task A_push_that_skips_a_seq_is_held_until_the_missing_change_was_fetched()
    {
        await using var scene = await ChatScene.StartAsync();
        await using var customer = await ReliableApp.ConnectAsync(scene.Server.BaseUrl, scene.Contact.PubsubToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        // Sent on the official connection underneath, past the tracker: the server never pushes a sender its own message, so
        // seq 2 can only reach the app through a fetch.
        var unseen = await new ChatHubProxy(customer.Connection.HubConnection).SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "sent past the tracker" });
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "reply" });

        var handedOver = await SequenceAssert.WaitForContents(customer, conversation.Id, ["reply"]);
        Assert.Equal(["hi", "sent past the tracker", "reply"], handedOver.Select(m => m.Content));
        Assert.Equal([1L, unseen.Seq, reply.Seq], handedOver.Select(m => m.Seq));
        Assert.Equal([("ConversationCreated", 0L), ("MessageCreated", 1L), ("MessageCreated", 2L), ("MessageCreated", 3L)],
            SequenceAssert.ChangesOf(customer.Seen, conversation.Id));
    }

    [Fact]
    public async Task A_snapshot_older_than_the_next_push_is_caught_up_from_its_seq()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("one");
        var snapshot = (await scene.Customer.Hub.ListConversationsAsync(new ListConversationsRequest())).Single();
        await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "two" });
        await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "three" });

        // A device that loaded the conversation at seq 1 and connected after "two" and "three" were pushed.
        await using var late = await ReliableApp.ConnectAsync(scene.Server.BaseUrl, scene.Contact.PubsubToken);
        await late.Connection.TrackAsync(snapshot);
        await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "four" });

        var handedOver = await SequenceAssert.WaitForContents(late, conversation.Id, ["four"]);
        Assert.Equal(["two", "three", "four"], handedOver.Select(m => m.Content));
        Assert.Equal([2L, 3L, 4L], handedOver.Select(m => m.Seq));
    }

    [Fact]
    public async Task Status_and_assignee_changes_missed_while_away_arrive_as_one_ConversationUpdated_after_their_messages()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var customer = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken);
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        var conversation = await customer.Connection.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "hi" } });

        proxy.RefuseConnections = true;
        proxy.DropAll();
        await customer.Log.WaitFor("Reconnecting");
        await agent.Hub.AssignAsync(conversation.Id, 1);          // contact seq 2 (assignee); the activity line is for agents only
        var reply = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "done" }); // agents' seq; contact's 3
        // Resolved after the reply (an agent's reply into a resolved conversation reopens it): 4 (status), again an
        // agents-only activity line.
        await agent.Hub.SetStatusAsync(conversation.Id, "resolved");
        proxy.RefuseConnections = false;

        await SequenceAssert.WaitForContents(customer, conversation.Id, ["done"]);
        var updated = await customer.Seen.WaitFor<Pushed.ConversationUpdated>();
        Assert.Equal(("resolved", 1L, 4L), (updated.Conversation.Status, updated.Conversation.AssigneeId, updated.Conversation.Seq));
        Assert.Equal(
            [("ConversationCreated", 0L), ("MessageCreated", 1L), ("MessageCreated", 3L), ("ConversationUpdated", 4L)],
            SequenceAssert.ChangesOf(customer.Seen, conversation.Id));
        Assert.Equal([MessageTypes.Outgoing], customer.CreatedIn(conversation.Id).Skip(1).Select(m => m.MessageType));
        Assert.Equal(reply.Id, customer.CreatedIn(conversation.Id)[^1].Id);
    }

    [Fact]
    public async Task A_conversation_started_on_another_device_while_away_is_handed_over_after_the_reconnect()
    {
        await using var server = await ChatServer.StartAsync();
        await using var proxy = TcpProxy.Start(server.BaseUrl);
        var contact = await server.CreateContact("Ann");
        await using var laptop = await ReliableApp.ConnectAsync(proxy.Url, contact.PubsubToken);
        laptop.Connection.DiscoverOnReconnect = new ListConversationsRequest();
        await using var phone = await HubSession.ConnectAsync(server, contact.PubsubToken);

        proxy.RefuseConnections = true;
        proxy.DropAll();
        await laptop.Log.WaitFor("Reconnecting");
        var started = await phone.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "from my phone" } });
        proxy.RefuseConnections = false;

        var found = await laptop.Seen.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == started.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(["from my phone"], found.Conversation.Messages.Select(m => m.Content));

        // and it is tracked from there on
        await phone.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = started.Id, Content = "again" });
        var handedOver = await SequenceAssert.WaitForContents(laptop, started.Id, ["again"]);
        Assert.Equal(["again"], handedOver.Select(m => m.Content));
    }
}
