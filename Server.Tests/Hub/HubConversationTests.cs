using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Every hub method of API.md over real WebSockets with our .NET client: results and the pushes
/// each side receives.</summary>
public sealed class HubConversationTests
{
    [Fact]
    public async Task StartConversation_answers_the_conversation_and_pushes_it_to_the_inbox_agents()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.Customer.Hub.StartConversationAsync(new StartConversationRequest
        {
            CustomAttributes = new() { ["plan"] = JsonDocument.Parse("\"pro\"").RootElement },
            Message = new NewMessage { Content = "hello", EchoId = "e-1" },
        });

        Assert.Equal(ConversationStatuses.Open, conversation.Status);
        Assert.Equal(scene.Contact.Id, conversation.ContactId);
        Assert.Equal(1, conversation.Seq);
        Assert.Equal("pro", conversation.CustomAttributes!["plan"].GetString());
        var first = Assert.Single(conversation.Messages);
        Assert.Equal(("hello", "e-1", 1L, MessageTypes.Incoming), (first.Content, first.EchoId, first.Seq, first.MessageType));

        var created = await scene.Agent.Pushes.WaitFor<Pushed.ConversationCreated>();
        Assert.Equal((conversation.Id, 0L), (created.Conversation.Id, created.Conversation.Seq));
        var pushed = await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>();
        Assert.Equal((first.Id, "e-1", 1L), (pushed.Message.Id, pushed.Message.EchoId, pushed.Message.Seq));
        Assert.Equal(new SenderDto { Id = scene.Contact.Id, Name = "Ann", Type = SenderTypes.Contact }, pushed.Message.Sender);
    }

    [Fact]
    public async Task Agents_cannot_start_conversations()
    {
        await using var scene = await ChatScene.StartAsync();
        var error = await Assert.ThrowsAsync<ChatHubException>(() =>
            scene.Agent.Hub.StartConversationAsync(new StartConversationRequest()));
        Assert.Equal(ErrorCodes.Forbidden, error.Code);
    }

    [Fact]
    public async Task Messages_flow_both_ways_and_reach_every_device_of_the_contact_but_not_the_sending_one()
    {
        await using var scene = await ChatScene.StartAsync();
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
        Assert.Equal(SenderTypes.Agent, replyAtCustomer.Message.Sender!.Type);
        await secondDevice.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);

        // The reply came after the customer's own message, so had its own push been sent, it would be here.
        Assert.DoesNotContain(scene.Customer.Pushes.All<Pushed.MessageCreated>(), m => m.Message.Id == sent.Id);
        Assert.DoesNotContain(scene.Agent.Pushes.All<Pushed.MessageCreated>(), m => m.Message.Id == reply.Id);
    }

    [Fact]
    public async Task ListConversations_shows_a_contact_its_own_and_an_agent_its_inboxes()
    {
        await using var scene = await ChatScene.StartAsync();
        var mine = await scene.StartConversation("mine");
        var other = await scene.Server.CreateContact("Bob");
        var others = await scene.Server.StartConversation(other, "not yours");

        var forContact = await scene.Customer.Hub.ListConversationsAsync(new ListConversationsRequest());
        Assert.Equal([mine.Id], forContact.Select(c => c.Id));
        Assert.Equal("mine", Assert.Single(forContact[0].Messages).Content);

        var forAgent = await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "open" });
        Assert.Equal([others.Id, mine.Id], forAgent.Select(c => c.Id)); // newest activity first

        await scene.Agent.Hub.AssignAsync(mine.Id, 1);
        var assignedToMe = await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Assignee = "me" });
        Assert.Equal([mine.Id], assignedToMe.Select(c => c.Id));
        var unassigned = await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Assignee = "unassigned", InboxId = 1 });
        Assert.Equal([others.Id], unassigned.Select(c => c.Id));
        var resolved = await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "resolved" });
        Assert.Empty(resolved);
    }

    [Fact]
    public async Task GetMessages_pages_history_and_resyncs_after_a_seq()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation();
        var sent = new List<MessageDto>();
        for (var i = 1; i <= 7; i++)
            sent.Add(await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"m{i}" }));

        var newest = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Limit = 3 });
        Assert.Equal(["m5", "m6", "m7"], newest.Messages.Select(m => m.Content));
        Assert.True(newest.HasMore);
        Assert.Equal(7, newest.Conversation.Seq);

        var older = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Before = newest.Messages[0].Id, Limit = 3 });
        Assert.Equal(["m2", "m3", "m4"], older.Messages.Select(m => m.Content));
        var oldest = await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Before = older.Messages[0].Id, Limit = 3 });
        Assert.Equal(["m1"], oldest.Messages.Select(m => m.Content));
        Assert.False(oldest.HasMore);

        var after = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, AfterSeq = 4, Limit = 2 });
        Assert.Equal([5L, 6L], after.Messages.Select(m => m.Seq));
        Assert.True(after.HasMore);
        var rest = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, AfterSeq = 6 });
        Assert.Equal([7L], rest.Messages.Select(m => m.Seq));
        Assert.False(rest.HasMore);
    }

    [Fact]
    public async Task Typing_reaches_the_other_side_and_is_not_echoed_to_its_sender()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hi");

        await scene.Customer.Hub.SetTypingAsync(conversation.Id, true);
        var atAgent = await scene.Agent.Pushes.WaitFor<TypingEvent>();
        Assert.Equal((conversation.Id, true, SenderTypes.Contact, "Ann"), (atAgent.ConversationId, atAgent.IsTyping, atAgent.Sender.Type, atAgent.Sender.Name));

        await scene.Agent.Hub.SetTypingAsync(conversation.Id, true);
        var atCustomer = await scene.Customer.Pushes.WaitFor<TypingEvent>();
        Assert.Equal((SenderTypes.Agent, 1L), (atCustomer.Sender.Type, atCustomer.Sender.Id));
        await scene.Agent.Hub.SetTypingAsync(conversation.Id, false);
        await scene.Customer.Pushes.WaitFor<TypingEvent>(t => !t.IsTyping);

        Assert.DoesNotContain(scene.Customer.Pushes.All<TypingEvent>(), t => t.Sender.Type == SenderTypes.Contact);
        Assert.DoesNotContain(scene.Agent.Pushes.All<TypingEvent>(), t => t.Sender.Type == SenderTypes.Agent);
    }

    [Fact]
    public async Task MarkSeen_moves_the_seen_marker_takes_a_seq_and_makes_the_other_sides_messages_read()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hi");
        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "hello" });
        Assert.Equal("sent", reply.Status);

        await scene.Customer.Hub.MarkSeenAsync(conversation.Id);
        var update = await scene.Agent.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.ContactLastSeenAt is not null);
        Assert.Equal(reply.Seq + 1, update.Conversation.Seq);

        var page = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        Assert.Equal("read", page.Messages.Single(m => m.Id == reply.Id).Status);

        await scene.Agent.Hub.MarkSeenAsync(conversation.Id);
        var seenByAgent = await scene.Customer.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.AgentLastSeenAt is not null);
        Assert.NotNull(seenByAgent.Conversation.AgentLastSeenAt);
    }

    [Fact]
    public async Task SetStatus_lets_agents_set_any_status_and_contacts_only_resolve()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hi");

        var pending = await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Pending);
        Assert.Equal(ConversationStatuses.Pending, pending.Status);
        var pushed = await scene.Customer.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Status == ConversationStatuses.Pending);
        Assert.True(pushed.Conversation.Seq > 1);
        var activity = await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.MessageType == MessageTypes.Activity);
        Assert.Null(activity.Message.Sender);
        Assert.Equal(pushed.Conversation.Seq, (await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id })).Conversation.Seq); // the activity took no contact seq

        var error = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Open));
        Assert.Equal(ErrorCodes.Forbidden, error.Code);
        var invalid = await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.SetStatusAsync(conversation.Id, "snoozed-forever"));
        Assert.Equal(ErrorCodes.Validation, invalid.Code);

        var resolved = await scene.Customer.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved);
        Assert.Equal(ConversationStatuses.Resolved, resolved.Status);
        await scene.Agent.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Status == ConversationStatuses.Resolved);

        // A customer writing again reopens it, as in Chatwoot.
        await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "one more thing" });
        await scene.Agent.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.Status == ConversationStatuses.Open);
    }

    [Fact]
    public async Task Assign_sets_and_clears_the_assignee_among_inbox_members_only()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hi");
        var colleague = await scene.Server.CreateAgent("Colleague");
        var outsider = await scene.Server.CreateAgent("Outsider", inboxId: null);

        var assigned = await scene.Agent.Hub.AssignAsync(conversation.Id, colleague.Id);
        Assert.Equal(colleague.Id, assigned.AssigneeId);
        await scene.Customer.Pushes.WaitFor<Pushed.ConversationUpdated>(u => u.Conversation.AssigneeId == colleague.Id);
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content.Contains("Assigned to Colleague"));

        var unassigned = await scene.Agent.Hub.AssignAsync(conversation.Id, null);
        Assert.Null(unassigned.AssigneeId);

        var notMember = await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.AssignAsync(conversation.Id, outsider.Id));
        Assert.Equal(ErrorCodes.Validation, notMember.Code);
        var byContact = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.AssignAsync(conversation.Id, 1));
        Assert.Equal(ErrorCodes.Forbidden, byContact.Code);
    }

    [Fact]
    public async Task UpdateContact_changes_the_contact_and_tells_agents_without_the_token()
    {
        await using var scene = await ChatScene.StartAsync();
        await using var secondDevice = await scene.ConnectAsync(scene.Contact.PubsubToken);
        var updated = await scene.Customer.Hub.UpdateContactAsync(new UpdateContactRequest { Name = "Ann Lee", Email = "ann@example.com" });
        Assert.Equal(("Ann Lee", "ann@example.com"), (updated.Name, updated.Email));

        var atAgent = await scene.Agent.Pushes.WaitFor<Pushed.ContactUpdated>();
        Assert.Equal("Ann Lee", atAgent.Contact.Name);
        Assert.Equal("", atAgent.Contact.PubsubToken);
        var atOwner = await secondDevice.Pushes.WaitFor<Pushed.ContactUpdated>();
        Assert.Equal(scene.Contact.PubsubToken, atOwner.Contact.PubsubToken);

        var bad = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.UpdateContactAsync(new UpdateContactRequest { Email = "not an email" }));
        Assert.Equal(ErrorCodes.Validation, bad.Code);
        var byAgent = await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.UpdateContactAsync(new UpdateContactRequest { Name = "x" }));
        Assert.Equal(ErrorCodes.Forbidden, byAgent.Code);
    }

    [Fact]
    public async Task SubmitValues_answers_an_agents_interactive_message_and_takes_a_seq()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hi");
        var question = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversation.Id,
            Content = "Pick one",
            ContentType = "input_select",
            ContentAttributes = JsonDocument.Parse("""{"items":[{"title":"Yes","value":"yes"},{"title":"No","value":"no"}]}""").RootElement,
        });

        var answer = JsonDocument.Parse("""[{"title":"Yes","value":"yes"}]""").RootElement;
        var answered = await scene.Customer.Hub.SubmitValuesAsync(question.Id, answer);
        Assert.Equal("yes", answered.ContentAttributes!.Value.GetProperty("submitted_values")[0].GetProperty("value").GetString());
        Assert.True(answered.Seq > question.Seq);

        var atAgent = await scene.Agent.Pushes.WaitFor<Pushed.MessageUpdated>();
        Assert.Equal(question.Id, atAgent.Message.Id);
        Assert.True(atAgent.Message.ContentAttributes!.Value.TryGetProperty("items", out _));

        var byAgent = await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.SubmitValuesAsync(question.Id, answer));
        Assert.Equal(ErrorCodes.Forbidden, byAgent.Code);
        var ownText = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "text" });
        var notAQuestion = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SubmitValuesAsync(ownText.Id, answer));
        Assert.Equal(ErrorCodes.Validation, notAQuestion.Code);
    }

    [Fact]
    public async Task SetAvailability_tells_the_other_agents()
    {
        await using var scene = await ChatScene.StartAsync();
        var colleague = await scene.Server.CreateAgent("Colleague");
        await using var colleagueSession = await scene.ConnectAsync(colleague.AccessToken!);

        await scene.Agent.Hub.SetAvailabilityAsync(Availabilities.Busy);
        var presence = await colleagueSession.Pushes.WaitFor<PresenceEvent>();
        Assert.Equal((1L, Availabilities.Busy), (presence.AgentId, presence.Availability));

        var invalid = await Assert.ThrowsAsync<ChatHubException>(() => scene.Agent.Hub.SetAvailabilityAsync("away"));
        Assert.Equal(ErrorCodes.Validation, invalid.Code);
        var byContact = await Assert.ThrowsAsync<ChatHubException>(() => scene.Customer.Hub.SetAvailabilityAsync(Availabilities.Online));
        Assert.Equal(ErrorCodes.Forbidden, byContact.Code);
    }

    [Fact]
    public async Task An_agent_added_to_an_inbox_receives_its_events_without_reconnecting()
    {
        await using var scene = await ChatScene.StartAsync();
        var newcomer = await scene.Server.CreateAgent("Newcomer", inboxId: null);
        await using var session = await scene.ConnectAsync(newcomer.AccessToken!);
        using var admin = scene.Server.AgentHttp(scene.Server.AgentToken);
        (await admin.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { newcomer.Id } })).EnsureSuccessStatusCode();

        var conversation = await scene.StartConversation("anyone there?");
        var pushed = await session.Pushes.WaitFor<Pushed.MessageCreated>();
        Assert.Equal(conversation.Id, pushed.Message.ConversationId);
    }
}
