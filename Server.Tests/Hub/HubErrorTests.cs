using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Bad input gets API.md's coded errors, and the connection stays usable.</summary>
public sealed class HubErrorTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Refusals_reach_the_caller_as_coded_errors_and_the_connection_carries_on()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var conversation = await scene.StartConversation();
        var hub = scene.Customer.Hub;

        // A sample of the use cases' refusals (all of them are in-process: Server.Tests/UseCases) and the hub's own.
        var cases = new (string Name, Func<Task> Call, string Code)[]
        {
            ("empty content", () => hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "" }), ErrorCodes.Validation),
            ("null request", () => hub.SendMessageAsync(null!), ErrorCodes.Validation),
            ("limit 101", () => hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Limit = 101 }), ErrorCodes.Validation),
            ("unknown status filter", () => hub.ListConversationsAsync(new ListConversationsRequest { Status = "weird" }), ErrorCodes.Validation),
            ("a contact assigning", () => hub.AssignAsync(conversation.Id, scene.AgentId), ErrorCodes.Forbidden),
            ("an agent starting", () => scene.Agent.Hub.StartConversationAsync(new StartConversationRequest()), ErrorCodes.Forbidden),
            ("a missing conversation", () => hub.MarkSeenAsync(424_242), ErrorCodes.NotFound),
        };
        foreach (var (name, call, code) in cases)
        {
            var error = await Assert.ThrowsAsync<ChatHubException>(call);
            Assert.True(error.Code == code, $"{name}: expected {code}, got '{error.Message}'");
        }

        var fine = await hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = new string('x', 16_384) });
        Assert.Equal(1, fine.Seq); // none of the refused commands took a seq
        Assert.Equal(HubConnectionState.Connected, scene.Customer.Connection.State);
    }

    [Fact]
    public async Task Arguments_that_do_not_bind_and_unknown_methods_get_coded_errors_too()
    {
        await using var scene = await ChatScene.StartOnAsync(shared.Server);
        var hub = scene.Customer.Hub;

        var wrongType = await Assert.ThrowsAsync<ChatHubException>(() => hub.InvokeAsync<MessageDto>("SendMessage", ["not an object"]));
        Assert.StartsWith("validation: ", wrongType.Message);
        var wrongCount = await Assert.ThrowsAsync<ChatHubException>(() => hub.InvokeAsync("SetTyping", [1]));
        Assert.StartsWith("validation: ", wrongCount.Message);
        var unknown = await Assert.ThrowsAsync<ChatHubException>(() => hub.InvokeAsync("DropAllTables", []));
        Assert.StartsWith("not_found: ", unknown.Message);

        // Domain errors reach the wire bare, without SignalR's "An unexpected error occurred" prefix.
        var domain = await Assert.ThrowsAsync<ChatHubException>(() =>
            scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = 424242 }));
        Assert.Equal("not_found: conversation not found", domain.Message);
        Assert.Equal(HubConnectionState.Connected, scene.Customer.Connection.State);
    }

    [Fact]
    public async Task A_flooding_sender_gets_rate_limited_with_when_to_retry_and_keeps_its_connection()
    {
        await using var scene = await ChatScene.StartAsync(new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:MessagesPerWindow"] = "5",
            ["Limits:WindowSeconds"] = "600",
        });
        var conversation = await scene.StartConversation();
        for (var i = 0; i < 5; i++)
            await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"m{i}" });

        var limited = await Assert.ThrowsAsync<ChatHubException>(() =>
            scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "too many" }));
        Assert.Equal(ErrorCodes.RateLimited, limited.Code);
        Assert.Contains("retry after", limited.Message); // the hub's error says when
        // Refused, not punished: the connection stays open and its reads go on.
        Assert.Equal(HubConnectionState.Connected, scene.Customer.Connection.State);
        Assert.Equal(5, (await scene.Customer.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id })).Messages.Count);
    }
}
