using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>SendMessage's rules, in-process: who sends what (direction, content types, private notes), the content and
/// echo_id limits, idempotency by echo_id per sender, and a message reopening a resolved conversation (a customer's, or an agent's reply).</summary>
public sealed class SendMessageTests
{
    [Fact]
    public async Task A_contacts_message_is_incoming_takes_the_next_seq_and_names_its_sender()
    {
        await using var host = await UseCaseHost.StartAsync();
        var eve = await host.ContactAsync("Eve");
        var conversation = await host.ConversationAsync(eve, "hi");
        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var message = await host.SayAsync(eve, conversation.Id, "second", echoId: "e-2");

        Assert.Equal((conversation.Id, 2L, MessageTypes.Incoming, "second", "text", "e-2", false),
            (message.ConversationId, message.Seq, message.MessageType, message.Content, message.ContentType, message.EchoId, message.Private));
        Assert.Equal((eve.Id, "Eve", SenderTypes.Contact), (message.Sender!.Id, message.Sender.Name, message.Sender.Type));
        Assert.InRange(message.CreatedAt, from, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("sent", message.Status);
        var created = Assert.Single(host.Events.OfType<MessageCreated>(), e => e.Message.Id == message.Id);
        Assert.Equal(eve.PubsubToken, created.ContactPubsubToken);
    }

    [Fact]
    public async Task An_agents_message_is_outgoing_and_signed_by_the_agent_and_the_contact_reads_it()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        var reply = await host.SayAsync(host.Admin, conversation.Id, "Hello from support", echoId: "a-1");

        Assert.Equal((MessageTypes.Outgoing, 2L, false, "a-1"), (reply.MessageType, reply.Seq, reply.Private, reply.EchoId));
        Assert.Equal((1L, SenderTypes.Agent), (reply.Sender!.Id, reply.Sender.Type));
        Assert.Equal("Hello from support", (await host.MessagesAsync(ann, conversation.Id)).Last().Content);
    }

    [Fact]
    public async Task Content_must_be_non_blank_well_formed_text_within_MaxContentLength_on_both_sides()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        foreach (var content in new[] { "", "   \n\t", null, new string('a', 16_385), "lone \uD800 surrogate", "nul \0 character" })
        {
            var refused = await Refusal.Invalid("content", () => host.SayAsync(ann, conversation.Id, content!));
            if (content == "") Assert.Equal("content must not be empty", refused.Errors!["content"][0]);
        }
        await Refusal.Invalid("content", () => host.SayAsync(host.Admin, conversation.Id, new string('b', 16_385)));
        await Refusal.Invalid("content", () => host.Send(ann, new StartConversation(null, new NewMessage { Content = "" })));

        var longest = await host.SayAsync(ann, conversation.Id, new string('a', 16_384));
        Assert.Equal(16_384, longest.Content.Length);
        Assert.Equal(2, longest.Seq); // none of the refused commands took a seq
    }

    [Fact]
    public async Task MaxContentLength_is_configurable()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxContentLength"] = "10" });
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        await host.SayAsync(ann, conversation.Id, "0123456789");
        await Refusal.Invalid("content", () => host.SayAsync(ann, conversation.Id, "0123456789X"));
    }

    [Fact]
    public async Task An_echo_id_is_1_to_64_characters_and_a_conversation_id_positive()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        await host.SayAsync(ann, conversation.Id, "ok", echoId: new string('e', 64));
        await Refusal.Invalid("echo_id", () => host.SayAsync(ann, conversation.Id, "x", echoId: new string('e', 65)));
        await Refusal.Invalid("echo_id", () => host.SayAsync(ann, conversation.Id, "x", echoId: ""));
        await Refusal.Invalid("echo_id", () => host.ConversationAsync(ann, "x", echoId: new string('e', 65)));
        await Refusal.Invalid("conversation_id", () => host.SayAsync(ann, 0, "x"));
        await Refusal.Invalid("conversation_id", () => host.Ask(ann, new GetMessages(-5, null, null, null)));
    }

    [Fact]
    public async Task Contacts_send_text_only_and_agents_any_interactive_type_but_no_unknown_one()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        foreach (var type in new[] { "input_select", "cards" })
            await Refusal.Invalid("content_type", () => host.SayAsync(ann, conversation.Id, "pick one", contentType: type));
        Assert.Equal("text", (await host.SayAsync(ann, conversation.Id, "plain", contentType: "text")).ContentType);

        foreach (var type in ContentTypes.ForAgents)
            Assert.Equal(type, (await host.SayAsync(host.Admin, conversation.Id, "x", contentType: type)).ContentType);
        await Refusal.Invalid("content_type", () => host.SayAsync(host.Admin, conversation.Id, "x", contentType: "hologram"));
    }

    [Fact]
    public async Task Contacts_cannot_write_private_notes_and_nothing_is_stored()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        await Refusal.Forbidden(() => host.SayAsync(ann, conversation.Id, "psst", isPrivate: true));

        Assert.Single(await host.MessagesAsync(ann, conversation.Id));
        Assert.Single(await host.MessagesAsync(host.Admin, conversation.Id));
    }

    [Fact]
    public async Task The_sender_decides_the_direction_and_a_message_type_against_it_is_refused()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        SendMessage Typed(string? type) => new(conversation.Id, "x", null, null, null, false, type);

        Assert.Equal(MessageTypes.Outgoing, (await host.Send(host.Admin, Typed("outgoing"))).MessageType);
        Assert.Equal(MessageTypes.Outgoing, (await host.Send(host.Admin, Typed(null))).MessageType);
        var pretend = await Refusal.Invalid("message_type", () => host.Send(host.Admin, Typed("incoming")));
        Assert.Contains("incoming", pretend.Detail);
        await Refusal.Invalid("message_type", () => host.Send(host.Admin, Typed("sideways")));
        await Refusal.Invalid("message_type", () => host.Send(ann, Typed("outgoing")));
        Assert.Equal(MessageTypes.Incoming, (await host.Send(ann, Typed("incoming"))).MessageType);

        Assert.Equal(["hello", "x", "x", "x"], (await host.MessagesAsync(host.Admin, conversation.Id)).Select(m => m.Content));
    }

    [Fact]
    public async Task The_same_echo_id_again_answers_the_original_and_stores_and_publishes_nothing()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, firstMessage: null);

        var first = await host.SayAsync(ann, conversation.Id, "only once", echoId: "retry-1");
        var published = host.Events.Count;
        var second = await host.SayAsync(ann, conversation.Id, "only once", echoId: "retry-1");

        Assert.Equal((first.Id, first.Seq), (second.Id, second.Seq));
        Assert.Equal(published, host.Events.Count);
        var stored = Assert.Single(await host.MessagesAsync(ann, conversation.Id));
        Assert.Equal("retry-1", stored.EchoId);
        Assert.Equal(first.Seq, (await host.ConversationOfAsync(ann, conversation.Id)).Seq);

        var other = await host.SayAsync(ann, conversation.Id, "a new one", echoId: "retry-2");
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(first.Seq + 1, other.Seq);
    }

    [Fact]
    public async Task Concurrent_sends_with_the_same_echo_id_store_and_publish_one_message()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, firstMessage: null);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.SayAsync(ann, conversation.Id, "tap tap tap", echoId: "double-tap")));

        Assert.Single(answers.Select(m => m.Id).Distinct());
        Assert.Single(await host.MessagesAsync(ann, conversation.Id));
        Assert.Equal(1, (await host.ConversationOfAsync(ann, conversation.Id)).Seq);
        Assert.Single(host.Events.OfType<MessageCreated>(), e => e.Message.EchoId == "double-tap");
    }

    [Fact]
    public async Task Echo_ids_are_per_sender()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, firstMessage: null);

        var fromContact = await host.SayAsync(ann, conversation.Id, "hello", echoId: "same");
        var fromAgent = await host.SayAsync(host.Admin, conversation.Id, "hello", echoId: "same");

        Assert.NotEqual(fromContact.Id, fromAgent.Id);
        Assert.Equal(2, (await host.MessagesAsync(ann, conversation.Id)).Count);
    }

    [Fact]
    public async Task A_customer_writing_into_a_resolved_conversation_reopens_it()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        await host.Send(ann, new SetStatus(conversation.Id, null));

        await host.SayAsync(ann, conversation.Id, "one more thing");
        Assert.Equal(ConversationStatuses.Open, (await host.ConversationOfAsync(ann, conversation.Id)).Status);
        var reopened = host.Events.OfType<ConversationUpdated>().Last();
        Assert.Equal((ConversationStatuses.Resolved, ConversationStatuses.Open), (reopened.PreviousStatus, reopened.Conversation.Status));
    }

    [Fact]
    public async Task An_agents_reply_into_a_resolved_conversation_reopens_it_for_the_customer_and_a_private_note_does_not()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Resolved));

        await host.SayAsync(host.Admin, conversation.Id, "a note: solved", isPrivate: true);
        Assert.Equal(ConversationStatuses.Resolved, (await host.ConversationOfAsync(ann, conversation.Id)).Status);

        var before = host.Events.Count;
        await host.SayAsync(host.Admin, conversation.Id, "one more question for you");
        Assert.Equal(ConversationStatuses.Open, (await host.ConversationOfAsync(ann, conversation.Id)).Status);
        // The customer's stream carries the change (the widget shows the message box again), before the reply.
        var reopened = Assert.Single(host.Events.Skip(before).OfType<ConversationUpdated>());
        Assert.Equal((ConversationStatuses.Resolved, ConversationStatuses.Open, false),
            (reopened.PreviousStatus, reopened.Conversation.Status, reopened.AgentsOnly));
        Assert.Equal(ann.PubsubToken, reopened.ContactPubsubToken);
        Assert.True(Visibility.ContactSees(reopened));
    }

    [Fact]
    public async Task An_agents_reply_leaves_a_snoozed_conversation_snoozed()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed));

        await host.SayAsync(host.Admin, conversation.Id, "we will get back to you");
        Assert.Equal(ConversationStatuses.Snoozed, (await host.ConversationOfAsync(ann, conversation.Id)).Status);
    }

    [Fact]
    public async Task Content_attributes_must_be_a_json_object_within_the_size_and_depth_limits()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        Task Send(string json) => host.SayAsync(host.Admin, conversation.Id, "x", contentAttributes: JsonDocument.Parse(json).RootElement);

        await Refusal.Invalid("content_attributes", () => Send("[1]"));
        await Refusal.Invalid("content_attributes", () => Send("\"a\""));
        await Refusal.Invalid("content_attributes", () => Send($$"""{"a":"{{new string('x', 20_000)}}"}"""));
        await Refusal.Invalid("content_attributes", () => Send("{\"a\":" + new string('[', 40) + new string(']', 40) + "}"));
        await Refusal.Invalid("content_attributes", () => Send("""{"a":"\ud800"}"""));
        await Send("""{"items":[{"title":"A","value":"a"}]}""");
    }
}
