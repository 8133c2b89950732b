using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>StartConversation's rules, in-process: contacts only, the first message in the same transaction, and a
/// retry with the same first-message echo_id answered with the conversation it created.</summary>
public sealed class StartConversationTests
{
    [Fact]
    public async Task It_answers_the_open_conversation_with_its_first_message_and_publishes_both()
    {
        await using var host = await UseCaseHost.StartAsync();
        var dan = await host.ContactAsync("Dan");
        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var conversation = await host.Send(dan, new StartConversation(
            new() { ["page"] = JsonDocument.Parse("\"/pricing\"").RootElement },
            new NewMessage { Content = "Do you ship to Norway?", EchoId = "first-1" }));
        var to = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.Equal((UseCaseHost.InboxId, dan.Id, ConversationStatuses.Open, (long?)null, 1L),
            (conversation.InboxId, conversation.ContactId, conversation.Status, conversation.AssigneeId, conversation.Seq));
        Assert.True(Guid.TryParse(conversation.Uuid, out _));
        Assert.Equal("/pricing", conversation.CustomAttributes!["page"].GetString());
        Assert.Null(conversation.ContactLastSeenAt);
        Assert.Null(conversation.AgentLastSeenAt);
        Assert.InRange(conversation.CreatedAt, from, to);
        Assert.InRange(conversation.LastActivityAt, from, to);

        var message = Assert.Single(conversation.Messages);
        Assert.Equal((conversation.Id, 1L, MessageTypes.Incoming, "Do you ship to Norway?", "text", false, "sent", "first-1"),
            (message.ConversationId, message.Seq, message.MessageType, message.Content, message.ContentType, message.Private, message.Status, message.EchoId));
        Assert.Equal((dan.Id, "Dan", SenderTypes.Contact), (message.Sender!.Id, message.Sender.Name, message.Sender.Type));
        Assert.InRange(message.CreatedAt, from, to);
        Assert.InRange(message.UpdatedAt, from, to);

        // Published in commit order: the conversation (as created, seq 0), then its first message.
        var events = host.Events.OfType<ConversationEvent>().ToList();
        var created = Assert.IsType<ConversationCreated>(events[0]);
        Assert.Equal((conversation.Id, 0L, dan.PubsubToken), (created.Conversation.Id, created.Conversation.Seq, created.ContactPubsubToken));
        Assert.Equal(message.Id, Assert.IsType<MessageCreated>(events[1]).Message.Id);
    }

    [Fact]
    public async Task Without_a_message_it_has_none_and_seq_0()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, firstMessage: null);
        Assert.Empty(conversation.Messages);
        Assert.Equal((0L, ConversationStatuses.Open), (conversation.Seq, conversation.Status));
        Assert.Single(host.Events.OfType<ConversationCreated>());
        Assert.Empty(host.Events.OfType<MessageCreated>());
    }

    [Fact]
    public async Task Only_contacts_start_conversations()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync();
        foreach (var caller in new[] { host.Admin, grace, Identity.Caller.Anonymous, Identity.Caller.Operator })
            await Refusal.Forbidden(() => host.Send(caller, new StartConversation(null, null)));
        Assert.Empty(host.Events.OfType<ConversationCreated>());
    }

    [Fact]
    public async Task A_retry_with_the_same_first_message_echo_id_answers_the_conversation_it_created()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();

        var first = await host.ConversationAsync(ann, "hello?", echoId: "start-1");
        var retried = await host.ConversationAsync(ann, "hello?", echoId: "start-1");
        Assert.Equal(first.Id, retried.Id);
        Assert.Equal(first.Messages.Single().Id, retried.Messages.Single().Id);
        Assert.Single((await host.Ask(ann, new ListConversations(null, null, null, null))).Conversations);
        Assert.Single(await host.MessagesAsync(ann, first.Id));
        Assert.Single(host.Events.OfType<ConversationCreated>());

        // Another echo_id, or none, starts another conversation each time.
        Assert.NotEqual(first.Id, (await host.ConversationAsync(ann, "new topic", echoId: "start-2")).Id);
        await host.ConversationAsync(ann, "hello?");
        await host.ConversationAsync(ann, "hello?");
        Assert.Equal(4, (await host.Ask(ann, new ListConversations(null, null, null, null))).Total);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_start_make_one_conversation()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.ConversationAsync(ann, "tap", echoId: "double-start")));
        Assert.Single(answers.Select(c => c.Id).Distinct());
        Assert.Single(host.Events.OfType<ConversationCreated>());
    }

    [Fact]
    public async Task Custom_attributes_are_held_to_the_attribute_limits()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var big = new Dictionary<string, JsonElement> { ["a"] = JsonDocument.Parse($"\"{new string('x', 9000)}\"").RootElement };
        await Refusal.Invalid("custom_attributes", () => host.Send(ann, new StartConversation(big, null)));
        var deep = new Dictionary<string, JsonElement> { ["a"] = JsonDocument.Parse(new string('[', 40) + new string(']', 40)).RootElement };
        await Refusal.Invalid("custom_attributes", () => host.Send(ann, new StartConversation(deep, null)));
    }
}
