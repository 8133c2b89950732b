using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Every hub method of API.md over real WebSockets with our .NET client, one test each: its result, the
/// arguments it hands its use case, and the pushes each side receives (who may do what is in-process:
/// Server.Tests/UseCases). Each test has an inbox of its own on the class's server (<see cref="ChatScene.StartOnAsync"/>).</summary>
public sealed class HubConversationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task StartConversation_answers_the_conversation_and_pushes_it_to_the_inbox_agents()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.Customer.Hub.StartConversationAsync(new StartConversationRequest
        {
            CustomAttributes = new() { ["plan"] = JsonDocument.Parse("\"pro\"").RootElement },
            Message = new NewMessage { Content = "hello", EchoId = "e-1" },
        });

        Assert.Equal((ConversationStatuses.Open, scene.Contact.Id, 1L), (conversation.Status, conversation.ContactId, conversation.Seq));
        Assert.Equal("pro", conversation.CustomAttributes!["plan"].GetString());
        var first = Assert.Single(conversation.Messages);
        Assert.Equal(("hello", "e-1", 1L, MessageTypes.Incoming), (first.Content, first.EchoId, first.Seq, first.MessageType));

        var created = await scene.Agent.Pushes.WaitFor<Pushed.ConversationCreated>();
        Assert.Equal((conversation.Id, 0L), (created.Conversation.Id, created.Conversation.Seq));
        var pushed = await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>();
        Assert.Equal((first.Id, "e-1", 1L), (pushed.Message.Id, pushed.Message.EchoId, pushed.Message.Seq));
        Assert.Equal(new SenderDto { Id = scene.Contact.Id, Name = "Ann", Type = SenderTypes.Contact }, pushed.Message.Sender);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Messages_flow_both_ways_and_reach_every_device_of_the_contact_but_not_the_sending_one()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        await using var secondDevice = await scene.ConnectAsync(scene.Contact.PubsubToken);
        var conversation = await scene.StartConversation();

        var sent = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "from phone", EchoId = "p1" });
        var atAgent = await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
        var atSecondDevice = await secondDevice.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
        Assert.Equal("p1", atSecondDevice.Message.EchoId);
        Assert.Equal(sent.Seq, atAgent.Message.Seq);

        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "hi Ann" });
        Assert.Equal(MessageTypes.Outgoing, reply.MessageType);
        var replyAtCustomer = await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        Assert.Equal((SenderTypes.Agent, scene.AgentId), (replyAtCustomer.Message.Sender!.Type, replyAtCustomer.Message.Sender.Id));
        await secondDevice.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);

        // The reply came after the customer's own message, so had its own push been sent, it would be here. And the agent's
        // connection hears the customer's next message, so had its own reply come back to it, it would be here.
        Assert.DoesNotContain(scene.Customer.Pushes.All<Pushed.MessageCreated>(), m => m.Message.Id == sent.Id);
        var later = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "thanks" });
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == later.Id);
        Assert.DoesNotContain(scene.Agent.Pushes.All<Pushed.MessageCreated>(), m => m.Message.Id == reply.Id);
    }

    [Fact]
    public async Task ListConversations_hands_over_status_assignee_and_inbox_and_answers_the_callers_list()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var mine = await scene.StartConversation("mine");
        var others = await shared.Server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{scene.InboxIdentifier}/contacts/{(await scene.CreateContactAsync("Bob")).SourceId}/conversations",
            new { message = new { content = "not yours" } });

        var forContact = await scene.Customer.Hub.ListConversationsAsync(new ListConversationsRequest());
        Assert.Equal([mine.Id], forContact.Select(c => c.Id));
        Assert.Equal("mine", Assert.Single(forContact[0].Messages).Content);

        Assert.Equal([others.Id, mine.Id], (await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "open" })).Select(c => c.Id));
        await scene.Agent.Hub.AssignAsync(mine.Id, scene.AgentId);
        Assert.Equal([mine.Id], (await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Assignee = "me" })).Select(c => c.Id));
        Assert.Empty(await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "resolved" }));
        Assert.Equal([others.Id], (await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Assignee = "unassigned", Page = 1 })).Select(c => c.Id));
        await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { InboxId = 1 }));
    }

    [Fact]
    public async Task GetMessages_hands_over_limit_before_and_after_seq_and_answers_the_page()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation();
        var sent = new List<MessageDto>();
        for (var i = 1; i <= 7; i++)
            sent.Add(await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"m{i}" }));

        var newest = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Limit = 3 });
        Assert.Equal(["m5", "m6", "m7"], newest.Messages.Select(m => m.Content));
        Assert.Equal((true, 7L), (newest.HasMore, newest.Conversation.Seq));
        var older = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Before = newest.Messages[0].Id, Limit = 3 });
        Assert.Equal(["m2", "m3", "m4"], older.Messages.Select(m => m.Content));
        var after = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, AfterSeq = 4, Limit = 2 });
        Assert.Equal([5L, 6L], after.Messages.Select(m => m.Seq));
        Assert.True(after.HasMore);
    }

    [Fact]
    public async Task Typing_reaches_the_other_side_and_is_not_echoed_to_its_sender()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation("hi");

        await scene.Customer.Hub.SetTypingAsync(conversation.Id, true);
        var atAgent = await scene.Agent.Pushes.WaitFor<TypingEvent>();
        Assert.Equal((conversation.Id, true, SenderTypes.Contact, "Ann"), (atAgent.ConversationId, atAgent.IsTyping, atAgent.Sender.Type, atAgent.Sender.Name));

        await scene.Agent.Hub.SetTypingAsync(conversation.Id, true);
        var atCustomer = await scene.Customer.Pushes.WaitFor<TypingEvent>();
        Assert.Equal((SenderTypes.Agent, scene.AgentId), (atCustomer.Sender.Type, atCustomer.Sender.Id));
        await scene.Agent.Hub.SetTypingAsync(conversation.Id, false);
        await scene.Customer.Pushes.WaitFor<TypingEvent>(t => !t.IsTyping);
        // Barriers: the agent's "off" reached the customer after its own "on" would have; the customer's next typing
        // reaches the agent after the agent's own would have come back.
        await scene.Customer.Hub.SetTypingAsync(conversation.Id, false);
        await scene.Agent.Pushes.WaitFor<TypingEvent>(t => !t.IsTyping);

        Assert.DoesNotContain(scene.Customer.Pushes.All<TypingEvent>(), t => t.Sender.Type == SenderTypes.Contact);
        Assert.DoesNotContain(scene.Agent.Pushes.All<TypingEvent>(), t => t.Sender.Type == SenderTypes.Agent);
    }

    [Fact]
    public async Task MarkSeen_pushes_the_seen_marker_to_the_other_side()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation("hi");
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "hello" });

        await scene.Customer.Hub.MarkSeenAsync(conversation.Id);
        var update = await scene.Agent.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.ContactLastSeenAt is not null);
        Assert.Equal(reply.Seq + 1, update.Conversation.Seq);

        await scene.Agent.Hub.MarkSeenAsync(conversation.Id);
        Assert.NotNull((await scene.Customer.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.AgentLastSeenAt is not null)).Conversation.AgentLastSeenAt);
    }

    [Fact]
    public async Task SetStatus_pushes_the_change_to_both_sides_and_the_activity_line_to_the_agents_only()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation("hi");

        var pending = await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Pending);
        Assert.Equal(ConversationStatuses.Pending, pending.Status);
        var pushed = await scene.Customer.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Status == ConversationStatuses.Pending);
        Assert.True(pushed.Conversation.Seq > 1);
        var activity = await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.MessageType == MessageTypes.Activity);
        Assert.Null(activity.Message.Sender);

        var resolved = await scene.Customer.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved);
        Assert.Equal(ConversationStatuses.Resolved, resolved.Status);
        await scene.Agent.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Status == ConversationStatuses.Resolved);
        // Barrier: the agent's reply reaches the customer after both activity lines would have.
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "bye" });
        await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        Assert.DoesNotContain(scene.Customer.Pushes.All<Pushed.MessageCreated>(), m => m.Message.MessageType == MessageTypes.Activity);
    }

    [Fact]
    public async Task Assign_pushes_the_assignee_to_the_customer_and_the_activity_line_to_the_agents()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation("hi");

        var assigned = await scene.Agent.Hub.AssignAsync(conversation.Id, scene.AgentId);
        Assert.Equal(scene.AgentId, assigned.AssigneeId);
        await scene.Customer.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.AssigneeId == scene.AgentId);
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content.Contains("Assigned to Agent"));
        Assert.Null((await scene.Agent.Hub.AssignAsync(conversation.Id, null)).AssigneeId);
        await scene.Customer.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.AssigneeId is null);
    }

    [Fact]
    public async Task UpdateContact_changes_the_contact_and_tells_agents_without_the_token()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        await using var secondDevice = await scene.ConnectAsync(scene.Contact.PubsubToken);
        var updated = await scene.Customer.Hub.UpdateContactAsync(new UpdateContactRequest
        {
            Name = "Ann Lee", Email = "ann@example.com", PhoneNumber = "+15550100",
            CustomAttributes = new() { ["plan"] = JsonDocument.Parse("\"pro\"").RootElement },
        });
        Assert.Equal(("Ann Lee", "ann@example.com", "+15550100", "pro"), (updated.Name, updated.Email, updated.PhoneNumber, updated.CustomAttributes!["plan"].GetString()));

        var atAgent = await scene.Agent.Pushes.WaitFor<Pushed.ContactUpdated>();
        Assert.Equal(("Ann Lee", "", ""), (atAgent.Contact.Name, atAgent.Contact.PubsubToken, atAgent.Contact.SourceId));
        var atOwner = await secondDevice.Pushes.WaitFor<Pushed.ContactUpdated>();
        Assert.Equal(scene.Contact.PubsubToken, atOwner.Contact.PubsubToken);
    }

    [Fact]
    public async Task SubmitValues_answers_the_message_and_pushes_its_update_to_the_agents()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation("hi");
        var question = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversation.Id, Content = "Pick one", ContentType = "input_select",
            ContentAttributes = JsonDocument.Parse("""{"items":[{"title":"Yes","value":"yes"},{"title":"No","value":"no"}]}""").RootElement,
        });

        var answered = await scene.Customer.Hub.SubmitValuesAsync(question.Id, JsonDocument.Parse("""[{"title":"Yes","value":"yes"}]""").RootElement);
        Assert.Equal("yes", answered.ContentAttributes!.Value.GetProperty("submitted_values")[0].GetProperty("value").GetString());
        Assert.True(answered.Seq > question.Seq);

        var atAgent = await scene.Agent.Pushes.WaitFor<Pushed.MessageUpdated>();
        Assert.Equal(question.Id, atAgent.Message.Id);
        Assert.True(atAgent.Message.ContentAttributes!.Value.TryGetProperty("items", out _));
    }

    [Fact]
    public async Task SetAvailability_tells_the_other_agents()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var colleague = await shared.Server.CreateAgent("Colleague", inboxId: null);
        await using var colleagueSession = await scene.ConnectAsync(colleague.AccessToken!);

        await scene.Agent.Hub.SetAvailabilityAsync(Availabilities.Busy);
        var presence = await colleagueSession.Pushes.WaitFor<PresenceEvent>(p => p.AgentId == scene.AgentId);
        Assert.Equal(Availabilities.Busy, presence.Availability);
    }

    [Fact]
    public async Task An_agent_added_to_an_inbox_receives_its_events_without_reconnecting()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var newcomer = await shared.Server.CreateAgent("Newcomer", inboxId: null);
        await using var session = await scene.ConnectAsync(newcomer.AccessToken!);
        using var admin = shared.Server.AgentHttp(shared.Server.AgentToken);
        (await admin.PostJson($"/api/v1/inboxes/{scene.InboxId}/members", new { agent_ids = new[] { newcomer.Id } })).EnsureSuccessStatusCode();

        var conversation = await scene.StartConversation("anyone there?");
        Assert.Equal(conversation.Id, (await session.Pushes.WaitFor<Pushed.MessageCreated>()).Message.ConversationId);
    }
}
