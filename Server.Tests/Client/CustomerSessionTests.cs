using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace ChatHub.Server.Tests.Client;

public sealed class CustomerSessionTests
{
    [Fact]
    public async Task A_restarted_app_with_the_stored_source_id_is_the_same_customer_in_the_same_conversation()
    {
        await using var server = await ChatServer.StartAsync();
        var options = new CustomerSessionOptions { ServerUrl = server.BaseUrl, InboxIdentifier = server.InboxIdentifier, Name = "Ann" };

        string sourceId;
        MessageDto first;
        await using (var firstRun = new CustomerSession(options))
        {
            await firstRun.StartAsync();
            Assert.Null(firstRun.Conversation); // a new customer has none until the first message
            first = await firstRun.SendMessageAsync("my order is late");
            sourceId = firstRun.Contact.SourceId;
        }

        await using var secondRun = new CustomerSession(options with { SourceId = sourceId });
        var seen = new List<MessageDto>();
        secondRun.MessageCreated += m => { lock (seen) seen.Add(m); return Task.CompletedTask; };
        await secondRun.StartAsync();

        Assert.Equal(sourceId, secondRun.Contact.SourceId);
        Assert.Equal(first.ConversationId, secondRun.Conversation?.Id);
        Assert.Equal(["my order is late"], secondRun.Conversation!.Messages.Select(m => m.Content));
        var second = await secondRun.SendMessageAsync("any news?");
        Assert.Equal(first.ConversationId, second.ConversationId);
        Assert.Equal(2, second.Seq);
        await WaitUntil(() => seen.Any(m => m.Id == second.Id)); // its own message, handed over like any other
        Assert.Equal(["any news?"], seen.Select(m => m.Content));

        var stored = await SequenceAssert.StoredMessages(server, first.ConversationId);
        Assert.Equal(["my order is late", "any news?"], stored.Select(m => m.Content));
    }

    [Fact]
    public async Task A_source_id_the_server_does_not_know_gets_a_new_customer()
    {
        await using var server = await ChatServer.StartAsync();
        await using var session = new CustomerSession(new CustomerSessionOptions
        {
            ServerUrl = server.BaseUrl, InboxIdentifier = server.InboxIdentifier, SourceId = "forgotten", Name = "Bo", Email = "bo@example.com",
        });
        await session.StartAsync();
        Assert.NotEqual("forgotten", session.Contact.SourceId);
        Assert.Equal(("Bo", "bo@example.com"), (session.Contact.Name, session.Contact.Email));
    }

    [Fact]
    public async Task Agent_replies_and_typing_reach_the_customer_and_history_pages_back()
    {
        await using var server = await ChatServer.StartAsync();
        await using var customer = new CustomerSession(new CustomerSessionOptions { ServerUrl = server.BaseUrl, InboxIdentifier = server.InboxIdentifier });
        var received = new List<MessageDto>();
        var typing = new List<TypingEvent>();
        customer.MessageCreated += m => { lock (received) received.Add(m); return Task.CompletedTask; };
        customer.Typing += t => { lock (typing) typing.Add(t); return Task.CompletedTask; };
        await customer.StartAsync();
        await customer.SetTypingAsync(true); // no conversation yet: nothing to tell, no error
        for (var i = 0; i < 5; i++) await customer.SendMessageAsync($"q{i}");

        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        await agent.Hub.SetTypingAsync(customer.Conversation!.Id, true);
        await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = customer.Conversation.Id, Content = "on it" });
        await WaitUntil(() => received.Any(m => m.Content == "on it"));
        Assert.Equal(["q0", "q1", "q2", "q3", "q4", "on it"], received.Select(m => m.Content));
        Assert.True(typing.Single().IsTyping);

        var newest = await customer.GetHistoryAsync(limit: 2);
        Assert.Equal(["q4", "on it"], newest.Messages.Select(m => m.Content));
        var older = await customer.GetHistoryAsync(beforeMessageId: newest.Messages[0].Id, limit: 10);
        Assert.Equal(["q0", "q1", "q2", "q3"], older.Messages.Select(m => m.Content));
        Assert.False(older.HasMore);
    }

    [Fact]
    public async Task Handlers_are_awaited_one_change_at_a_time_and_one_that_throws_does_not_stop_the_others()
    {
        await using var server = await ChatServer.StartAsync();
        await using var customer = new CustomerSession(new CustomerSessionOptions { ServerUrl = server.BaseUrl, InboxIdentifier = server.InboxIdentifier });
        var handled = new List<string>();
        var oneHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseOne = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        customer.MessageCreated += _ => throw new InvalidOperationException("a broken handler");
        customer.MessageCreated += async m =>
        {
            lock (handled) handled.Add($"start {m.Content}");
            if (m.Content == "one")
            {
                oneHeld.TrySetResult();
                await releaseOne.Task;
            }
            lock (handled) handled.Add($"end {m.Content}");
        };
        await customer.StartAsync();
        var question = await customer.SendMessageAsync("hi");
        // The barrier: the official connection has received "two" (the session's queue took it first).
        var twoArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var rawHandler = customer.Connection.HubConnection.On<MessageDto>(nameof(IChatClient.MessageCreated), m =>
        {
            if (m.Content == "two") twoArrived.TrySetResult();
        });

        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = question.ConversationId, Content = "one" });
        await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = question.ConversationId, Content = "two" });
        await oneHeld.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await twoArrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        lock (handled) Assert.Equal(["start hi", "end hi", "start one"], handled); // "two" waits for "one"'s handler

        releaseOne.TrySetResult();
        await WaitUntil(() => { lock (handled) return handled.Contains("end two"); });
        lock (handled) Assert.Equal(["start hi", "end hi", "start one", "end one", "start two", "end two"], handled);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition never held");
            await Task.Delay(10);
        }
    }
}
