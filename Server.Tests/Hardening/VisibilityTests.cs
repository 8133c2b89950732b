using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Hardening;

/// <summary>Customers see the conversation, not the team's internals: no activity lines (assignments, status
/// changes), and a private note changes nothing a customer can observe.</summary>
public sealed class VisibilityTests
{
    [Fact]
    public async Task Customers_never_receive_activity_messages_in_lists_results_or_pushes()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        await scene.Agent.Hub.AssignAsync(conversation.Id, 1);
        await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Pending);
        await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Open);
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "done" });
        await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);

        // The agents have the three activity lines...
        var forAgents = await scene.Server.AdminHttp().MessagesAsAgent(conversation.Id);
        Assert.Equal(3, forAgents.Count(m => m.MessageType == MessageTypes.Activity));
        // ...the customer none, anywhere, and its seq stream has no gap where they were written.
        var rest = await scene.Server.MessagesAsContact(scene.Contact, conversation.Id);
        var restConversation = await scene.Server.ConversationAsContact(scene.Contact, conversation.Id);
        var hub = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        var resync = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, AfterSeq = 0 });
        var list = await scene.Customer.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" });
        var pushed = scene.Customer.Pushes.All<Pushed.MessageCreated>().Select(p => p.Message);
        foreach (var messages in new[] { rest, restConversation.Messages, hub.Messages, resync.Messages, list.Single().Messages, pushed })
            Assert.DoesNotContain(messages, m => m.MessageType == MessageTypes.Activity);
        Assert.Equal(["hello", "done"], rest.Select(m => m.Content));
        // Contact seqs: 0 created, 1 hello, 2 assigned, 3 pending, 4 open, 5 reply.
        Assert.Equal([1L, 5L], rest.Select(m => m.Seq));
        Assert.Equal(5, restConversation.Seq);
    }

    [Fact]
    public async Task A_private_note_changes_nothing_a_customer_can_observe()
    {
        await using var scene = await ChatScene.StartAsync();
        var older = await scene.StartConversation("first question");
        await Task.Delay(1100); // last_activity_at has one-second resolution
        var newer = await scene.StartConversation("second question");
        var before = await scene.Customer.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" });
        Assert.Equal([newer.Id, older.Id], before.Select(c => c.Id));

        await Task.Delay(1100);
        var admin = scene.Server.AdminHttp();
        await admin.SendAsAgent(older.Id, "internal: VIP customer", isPrivate: true);

        var after = await scene.Customer.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" });
        Assert.Equal([newer.Id, older.Id], after.Select(c => c.Id));
        var (olderBefore, olderAfter) = (before.Single(c => c.Id == older.Id), after.Single(c => c.Id == older.Id));
        Assert.Equal((olderBefore.Seq, olderBefore.LastActivityAt), (olderAfter.Seq, olderAfter.LastActivityAt));
        var rest = await scene.Server.ConversationAsContact(scene.Contact, older.Id);
        Assert.Equal((olderBefore.Seq, olderBefore.LastActivityAt), (rest.Seq, rest.LastActivityAt));
        Assert.DoesNotContain(rest.Messages, m => m.Private);
        // The agents' list order does not move for a note either.
        var agentList = await admin.ListAsAgent();
        Assert.Equal([newer.Id, older.Id], agentList.Data.Select(c => c.Id));
    }
}
