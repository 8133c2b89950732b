using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Contact A against contact B's conversation, and an agent outside the inbox, for every hub method
/// that names a conversation or message.</summary>
public sealed class HubAuthorizationTests
{
    private static IEnumerable<(string Method, Func<ChatHubProxy, long, long, Task> Call)> ConversationCalls()
    {
        yield return ("SendMessage", (hub, c, _) => hub.SendMessageAsync(new SendMessageRequest { ConversationId = c, Content = "intrude" }));
        yield return ("GetMessages", (hub, c, _) => hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = c }));
        yield return ("SetTyping", (hub, c, _) => hub.SetTypingAsync(c, true));
        yield return ("MarkSeen", (hub, c, _) => hub.MarkSeenAsync(c));
        yield return ("SetStatus", (hub, c, _) => hub.SetStatusAsync(c, ConversationStatuses.Resolved));
        yield return ("SubmitValues", (hub, _, m) => hub.SubmitValuesAsync(m, JsonDocument.Parse("""{"a":1}""").RootElement));
    }

    [Fact]
    public async Task A_contact_gets_not_found_for_anything_of_another_contact()
    {
        await using var scene = await ChatScene.StartAsync();
        var bob = await scene.Server.CreateContact("Bob");
        await using var bobSession = await scene.ConnectAsync(bob.PubsubToken);
        var bobs = await bobSession.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "private matter" } });
        var question = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = bobs.Id, Content = "pick", ContentType = "input_select" });

        foreach (var (method, call) in ConversationCalls())
        {
            var error = await Assert.ThrowsAsync<ChatHubException>(() => call(scene.Customer.Hub, bobs.Id, question.Id));
            Assert.True(error.Code == ErrorCodes.NotFound, $"{method}: {error.Message}");
        }
        // And the same answer for ids that do not exist at all: nothing tells them apart.
        foreach (var (method, call) in ConversationCalls())
        {
            var error = await Assert.ThrowsAsync<ChatHubException>(() => call(scene.Customer.Hub, 999_999, 999_999));
            Assert.True(error.Code == ErrorCodes.NotFound, $"{method}: {error.Message}");
        }

        Assert.Empty(await scene.Customer.Hub.ListConversationsAsync(new ListConversationsRequest()));
        var untouched = await bobSession.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = bobs.Id });
        Assert.Equal(ConversationStatuses.Open, untouched.Conversation.Status);
        Assert.DoesNotContain(untouched.Messages, m => m.Content == "intrude");
        // Barrier: an agent's reply in Ann's own conversation reaches Ann after everything above was pushed; nothing of
        // Bob's conversation came before it.
        var annsOwn = await scene.StartConversation("mine");
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = annsOwn.Id, Content = "for Ann" });
        await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        Assert.All(scene.Customer.Pushes.All<Pushed.MessageCreated>(), m => Assert.Equal(annsOwn.Id, m.Message.ConversationId));
    }

    [Fact]
    public async Task An_agent_outside_the_inbox_is_forbidden_and_sees_nothing()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        var outsider = await scene.Server.CreateAgent("Outsider", inboxId: null);
        await using var session = await scene.ConnectAsync(outsider.AccessToken!);

        foreach (var (method, call) in ConversationCalls().Where(c => c.Method != "SubmitValues"))
        {
            var error = await Assert.ThrowsAsync<ChatHubException>(() => call(session.Hub, conversation.Id, 0));
            Assert.True(error.Code == ErrorCodes.Forbidden, $"{method}: {error.Message}");
        }
        var assign = await Assert.ThrowsAsync<ChatHubException>(() => session.Hub.AssignAsync(conversation.Id, outsider.Id));
        Assert.Equal(ErrorCodes.Forbidden, assign.Code);
        Assert.Empty(await session.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" }));
        var inbox = await Assert.ThrowsAsync<ChatHubException>(() => session.Hub.ListConversationsAsync(new ListConversationsRequest { InboxId = 1 }));
        Assert.Equal(ErrorCodes.Forbidden, inbox.Code);

        // Its connection is in no inbox group: the customer's next message does not reach it. Barrier on the same
        // connection: a presence change published after that message reaches every agent connection, this one included,
        // in publishing order.
        var again = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "again" });
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == again.Id);
        await scene.Agent.Hub.SetAvailabilityAsync(Availabilities.Busy);
        await session.Pushes.WaitFor<PresenceEvent>(p => p.Availability == Availabilities.Busy);
        Assert.Empty(session.Pushes.All<Pushed.MessageCreated>());
    }
}
