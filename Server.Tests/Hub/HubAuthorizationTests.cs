using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>What a connection hears of conversations it may not touch: nothing. A contact's connection is in no stream
/// of another contact's conversation, an agent's in no group of an inbox it is not a member of; and their calls on them
/// come back as coded errors (every use case's refusal is in-process: UseCases/Conversations/ConversationAccessTests).</summary>
public sealed class HubAuthorizationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_contact_hears_nothing_of_another_contacts_conversation_and_its_calls_on_it_are_not_found()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var bob = await scene.CreateContactAsync("Bob");
        await using var bobSession = await scene.ConnectAsync(bob.PubsubToken);
        var bobs = await bobSession.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "private matter" } });
        var toBob = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = bobs.Id, Content = "for Bob" });
        await bobSession.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == toBob.Id);

        var error = await Assert.ThrowsAsync<ChatHubException>(() =>
            scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = bobs.Id, Content = "intrude" }));
        Assert.Equal("not_found: conversation not found", error.Message);

        // Barrier: an agent's reply in Ann's own conversation reaches Ann after everything above was pushed; nothing of
        // Bob's conversation came before it.
        var annsOwn = await scene.StartConversation("mine");
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = annsOwn.Id, Content = "for Ann" });
        await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        Assert.All(scene.Customer.Pushes.All<Pushed.MessageCreated>(), m => Assert.Equal(annsOwn.Id, m.Message.ConversationId));
        Assert.All(scene.Customer.Pushes.All<Pushed.ConversationCreated>(), c => Assert.Equal(annsOwn.Id, c.Conversation.Id));
    }

    [Fact]
    public async Task An_agent_outside_the_inbox_hears_nothing_of_it_and_its_calls_on_it_are_forbidden()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation("hello");
        var outsider = await shared.Server.CreateAgent("Outsider", inboxId: null);
        await using var session = await scene.ConnectAsync(outsider.AccessToken!);

        var error = await Assert.ThrowsAsync<ChatHubException>(() => session.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id }));
        Assert.Equal(ErrorCodes.Forbidden, error.Code);
        Assert.Empty(await session.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" }));

        // Its connection is in no group of the inbox: the customer's next message does not reach it. Barrier on the same
        // connection: a presence change published after that message reaches every agent connection, this one included,
        // in publishing order.
        var again = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "again" });
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == again.Id);
        await scene.Agent.Hub.SetAvailabilityAsync(Availabilities.Busy);
        await session.Pushes.WaitFor<PresenceEvent>(p => p.AgentId == scene.AgentId && p.Availability == Availabilities.Busy);
        Assert.Empty(session.Pushes.All<Pushed.MessageCreated>());
    }
}
