using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>API.md's delivery guarantees over the hub: durable before acknowledged, pushed gap-free in seq order to
/// whoever may see them, and kept across a restart (idempotency by echoId and seq allocation are in-process, on every
/// store: UseCases/Conversations).</summary>
public sealed class HubDeliveryTests
{
    [Fact, Trait("Store", "SqliteFile")] // reads the SQLite file itself: not run on the other stores
    public async Task An_acknowledged_message_is_in_the_database_file_when_the_call_returns()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation();
        var message = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "keep me", EchoId = "d-1" });

        // A separate connection to the file, while the server runs: what it sees is committed.
        await using var file = new SqliteConnection($"Data Source={scene.Server.DbPath};Pooling=False");
        await file.OpenAsync();
        await using var query = file.CreateCommand();
        query.CommandText = "SELECT content, seq, echo_id FROM messages WHERE id = $id";
        query.Parameters.AddWithValue("$id", message.Id);
        await using var row = await query.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(("keep me", message.Seq, "d-1"), (row.GetString(0), row.GetInt64(1), row.GetString(2)));
    }

    [Fact, Trait("Run", "EveryStore")] // commit order is the store's: pushes must follow it on each
    public async Task Concurrent_senders_get_distinct_gap_free_seqs_pushed_in_seq_order()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation();
        await using var secondDevice = await scene.ConnectAsync(scene.Contact.PubsubToken);

        const int perSide = 40;
        var sends = Enumerable.Range(0, perSide).SelectMany(i => new[]
        {
            scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"c{i}", EchoId = $"c{i}" }),
            scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"a{i}", EchoId = $"a{i}" }),
        });
        var acknowledged = await Task.WhenAll(sends);
        Assert.Equal(Enumerable.Range(1, 2 * perSide).Select(i => (long)i), acknowledged.Select(m => m.Seq).Order());

        // A connection that sent nothing sees every change, each once, in seq order.
        var seen = await secondDevice.Pushes.WaitForCount<Pushed.MessageCreated>(2 * perSide);
        Assert.Equal(Enumerable.Range(1, 2 * perSide).Select(i => (long)i), seen.Select(m => m.Message.Seq));

        var resync = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, AfterSeq = 0, Limit = 100 });
        Assert.Equal(Enumerable.Range(1, 2 * perSide).Select(i => (long)i), resync.Messages.Select(m => m.Seq));
        Assert.Equal(2 * perSide, resync.Conversation.Seq);
    }

    [Fact]
    public async Task A_private_note_reaches_agents_only_and_leaves_no_gap_in_the_contacts_seq()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hi"); // seq 1 for both views
        var note = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "VIP customer", Private = true });
        Assert.True(note.Private);
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "Hello Ann" });

        var atCustomer = await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        Assert.Equal(2, atCustomer.Message.Seq); // the contact's stream: 1 "hi", 2 the reply
        Assert.Equal(3, reply.Seq);              // the agents' stream: 2 was the note
        Assert.DoesNotContain(scene.Customer.Pushes.All<Pushed.MessageCreated>(), m => m.Message.Private || m.Message.Content == "VIP customer");

        var contactView = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, AfterSeq = 0 });
        Assert.Equal([1L, 2L], contactView.Messages.Select(m => m.Seq));
        Assert.Equal(2, contactView.Conversation.Seq);
        var agentView = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, AfterSeq = 0 });
        Assert.Equal(["hi", "VIP customer", "Hello Ann"], agentView.Messages.Select(m => m.Content));

        var noteForContact = await Assert.ThrowsAsync<ChatHubException>(() =>
            scene.Customer.Hub.SubmitValuesAsync(note.Id, System.Text.Json.JsonDocument.Parse("{}").RootElement));
        Assert.Equal(ErrorCodes.NotFound, noteForContact.Code);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task A_restart_on_the_same_file_keeps_everything_and_seq_goes_on()
    {
        var first = await ChatServer.StartAsync();
        var contact = await first.CreateContact("Ann");
        long conversationId;
        await using (var customer = await HubSession.ConnectAsync(first, contact.PubsubToken))
        {
            var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "before restart" } });
            conversationId = conversation.Id;
        }
        await first.DisposeAsync();

        await using var second = await ChatServer.StartAsync(first.DbPath, agentToken: first.AgentToken, inboxIdentifier: first.InboxIdentifier);
        await using var again = await HubSession.ConnectAsync(second, contact.PubsubToken);
        var history = await again.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversationId });
        Assert.Equal(["before restart"], history.Messages.Select(m => m.Content));
        var next = await again.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversationId, Content = "after restart" });
        Assert.Equal(2, next.Seq);
    }
}
