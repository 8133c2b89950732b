using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>A conversation's unread count (Chatwoot's unread_count), in-process: the customer's messages since an agent
/// last marked it seen; the agents' own messages, notes and the customer's seen marker leave it; the customer's view
/// shows none.</summary>
public sealed class UnreadCountTests
{
    [Fact]
    public async Task The_customers_messages_count_until_an_agent_marks_the_conversation_seen()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        async Task<int> Unread() => (await host.ConversationOfAsync(host.Admin, conversation.Id)).UnreadCount;
        Assert.Equal(1, await Unread()); // the first message

        await host.SayAsync(ann, conversation.Id, "anyone?");
        await host.SayAsync(host.Admin, conversation.Id, "yes");
        await host.SayAsync(host.Admin, conversation.Id, "a note", isPrivate: true);
        await host.Send(ann, new MarkSeen(conversation.Id));
        Assert.Equal(2, await Unread());
        // Events carry it: a push shows the count as of its change.
        Assert.Equal(2, host.Events.OfType<MessageCreated>().Last(m => m.Message.MessageType == MessageTypes.Incoming).Conversation.UnreadCount);

        await host.Send(host.Admin, new MarkSeen(conversation.Id));
        Assert.Equal(0, await Unread());
        Assert.Equal(0, host.Events.OfType<ConversationUpdated>().Last().Conversation.UnreadCount);
        await host.SayAsync(ann, conversation.Id, "thanks");
        Assert.Equal(1, await Unread());
        Assert.Equal(0, (await host.ConversationOfAsync(ann, conversation.Id)).UnreadCount);
    }
}
