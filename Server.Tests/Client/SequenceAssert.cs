using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>Checks on what an app was handed for one conversation.</summary>
internal static class SequenceAssert
{
    /// <summary>Every change of the conversation (messages created or updated, conversation created or updated)
    /// in the order handed over, as (kind, seq).</summary>
    public static IReadOnlyList<(string Kind, long Seq)> ChangesOf(RecordingClient seen, long conversationId) =>
        seen.Events.Select<object, (string Kind, long Seq)>(e => e switch
        {
            Pushed.MessageCreated m when m.Message.ConversationId == conversationId => ("MessageCreated", m.Message.Seq),
            Pushed.MessageUpdated m when m.Message.ConversationId == conversationId => ("MessageUpdated", m.Message.Seq),
            Pushed.ConversationCreated c when c.Conversation.Id == conversationId => ("ConversationCreated", c.Conversation.Seq),
            Pushed.ConversationUpdated c when c.Conversation.Id == conversationId => ("ConversationUpdated", c.Conversation.Seq),
            _ => ("", -1),
        }).Where(c => c.Kind != "").ToList();

    /// <summary>Messages were handed over once each, by id, with seqs rising.</summary>
    public static void OnceEachInSeqOrder(IReadOnlyList<MessageDto> created)
    {
        Assert.Equal(created.Count, created.Select(m => m.Id).Distinct().Count());
        Assert.Equal(created.Select(m => m.Seq).Order(), created.Select(m => m.Seq));
        Assert.Equal(created.Count, created.Select(m => m.Seq).Distinct().Count());
    }

    /// <summary>Waits until every one of <paramref name="contents"/> was handed over as MessageCreated.</summary>
    public static async Task<IReadOnlyList<MessageDto>> WaitForContents(ReliableApp app, long conversationId, IEnumerable<string> contents)
    {
        var wanted = contents.ToHashSet();
        await app.Seen.WaitFor<Pushed.MessageCreated>(_ => wanted.IsSubsetOf(app.CreatedIn(conversationId).Select(m => m.Content)),
            TimeSpan.FromSeconds(30));
        return app.CreatedIn(conversationId);
    }

    /// <summary>What the server stored, read by a connection that took no part.</summary>
    public static async Task<IReadOnlyList<MessageDto>> StoredMessages(ChatServer server, long conversationId)
    {
        await using var reader = await HubSession.ConnectAsync(server, server.AgentToken);
        var page = await reader.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversationId, AfterSeq = 0, Limit = 100 });
        Assert.False(page.HasMore);
        return page.Messages;
    }
}
