using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>SetTyping and MarkSeen, in-process: typing is published and never stored (no seq); a seen marker is one
/// change (one seq) that makes the other side's messages read.</summary>
public sealed class TypingAndSeenTests
{
    [Theory]
    [InlineData("on", true)]
    [InlineData("recording", true)]
    [InlineData("off", false)]
    public void Chatwoots_typing_status_words_map_to_typing_or_not(string word, bool typing) =>
        Assert.Equal(typing, TypingStatuses.IsTyping(word));

    [Fact]
    public async Task Typing_is_published_with_its_typist_takes_no_seq_and_any_other_word_is_refused()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync("Ann");
        var conversation = await host.ConversationAsync(ann, "hi");

        await host.Ask(ann, new SetTyping(conversation.Id, TypingStatuses.IsTyping("on")));
        await host.Ask(host.Admin, new SetTyping(conversation.Id, TypingStatuses.IsTyping("off")));

        var typing = host.Events.OfType<TypingChanged>().ToList();
        Assert.Equal([(SenderTypes.Contact, ann.Id, "Ann", true), (SenderTypes.Agent, 1L, "Admin", false)],
            typing.Select(t => (t.Typist.Type, t.Typist.Id, t.Typist.Name, t.IsTyping)));
        Assert.All(typing, t => Assert.Equal((conversation.Id, ann.PubsubToken), (t.Conversation.Id, t.ContactPubsubToken)));
        // A contact's own typing is for the agents; an agent's reaches the contact.
        Assert.Equal([false, true], typing.Select(Visibility.ContactSees));
        Assert.Equal(conversation.Seq, (await host.ConversationOfAsync(ann, conversation.Id)).Seq);

        foreach (var word in new[] { "maybe", "typing", "sideways", null })
            await Refusal.Invalid("typing_status", () => host.Ask(ann, new SetTyping(conversation.Id, TypingStatuses.IsTyping(word))));
        await Refusal.Invalid("conversation_id", () => host.Ask(ann, new SetTyping(0, true)));
    }

    [Fact]
    public async Task A_contacts_seen_marker_is_one_seq_and_makes_the_agents_messages_read()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        var reply = await host.SayAsync(host.Admin, conversation.Id, "hello, how can I help?");
        Assert.Equal("sent", (await host.MessagesAsync(ann, conversation.Id)).Single(m => m.Id == reply.Id).Status);

        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await host.Send(ann, new MarkSeen(conversation.Id));
        var to = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var seen = await host.ConversationOfAsync(ann, conversation.Id);
        Assert.InRange(seen.ContactLastSeenAt!.Value, from, to);
        Assert.Null(seen.AgentLastSeenAt);
        Assert.Equal(reply.Seq + 1, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Seq); // one change, one seq
        var update = host.Events.OfType<ConversationUpdated>().Single();
        Assert.NotNull(update.Conversation.ContactLastSeenAt);
        Assert.Equal(reply.Seq + 1, update.Conversation.Seq);

        var messages = await host.MessagesAsync(ann, conversation.Id);
        Assert.Equal("read", messages.Single(m => m.Id == reply.Id).Status);
        Assert.Equal("sent", messages.Single(m => m.MessageType == MessageTypes.Incoming).Status); // the agent has not seen it
        Assert.Equal("read", (await host.MessagesAsync(host.Admin, conversation.Id)).Single(m => m.Id == reply.Id).Status);
    }

    [Fact]
    public async Task An_agents_seen_marker_makes_the_contacts_messages_read()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "anyone there?");
        Assert.Equal("sent", (await host.MessagesAsync(ann, conversation.Id)).Single().Status);

        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await host.Send(host.Admin, new MarkSeen(conversation.Id));

        var seen = await host.ConversationOfAsync(host.Admin, conversation.Id);
        Assert.InRange(seen.AgentLastSeenAt!.Value, from, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Null(seen.ContactLastSeenAt);
        Assert.Equal("read", (await host.MessagesAsync(ann, conversation.Id)).Single().Status);
        Assert.Equal("read", (await host.MessagesAsync(host.Admin, conversation.Id)).Single().Status);
        Assert.NotNull(host.Events.OfType<ConversationUpdated>().Single().Conversation.AgentLastSeenAt);
    }
}
