using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace ChatHub.Server.Tests.Hub;

/// <summary>Bad input gets API.md's coded errors, and the connection stays usable.</summary>
public sealed class HubErrorTests
{
    [Fact]
    public async Task Invalid_commands_fail_with_validation_codes_and_the_connection_carries_on()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation();
        var hub = scene.Customer.Hub;

        var cases = new (string Name, Func<Task> Call, string Code)[]
        {
            ("empty content", () => hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "" }), ErrorCodes.Validation),
            ("blank content", () => hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "   " }), ErrorCodes.Validation),
            ("content too long", () => hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = new string('x', 16_385) }), ErrorCodes.Validation),
            ("echoId too long", () => hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "x", EchoId = new string('e', 65) }), ErrorCodes.Validation),
            ("null request", () => hub.SendMessageAsync(null!), ErrorCodes.Validation),
            ("zero conversation", () => hub.SendMessageAsync(new SendMessageRequest { ConversationId = 0, Content = "x" }), ErrorCodes.Validation),
            ("negative conversation", () => hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = -5 }), ErrorCodes.Validation),
            ("limit 0", () => hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Limit = 0 }), ErrorCodes.Validation),
            ("limit 101", () => hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id, Limit = 101 }), ErrorCodes.Validation),
            ("contact content_type", () => hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "x", ContentType = "cards" }), ErrorCodes.Validation),
            ("unknown status filter", () => hub.ListConversationsAsync(new ListConversationsRequest { Status = "weird" }), ErrorCodes.Validation),
        };
        foreach (var (name, call, code) in cases)
        {
            var error = await Assert.ThrowsAsync<ChatHubException>(call);
            Assert.True(error.Code == code, $"{name}: expected {code}, got '{error.Message}'");
        }

        var fine = await hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = new string('x', 16_384) });
        Assert.Equal(1, fine.Seq); // none of the refused commands took a seq
    }

    [Fact]
    public async Task Arguments_that_do_not_bind_and_unknown_methods_get_coded_errors_too()
    {
        await using var scene = await ChatScene.StartAsync();
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
    public async Task A_flooding_sender_is_rate_limited_while_others_keep_sending()
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

        var reply = await scene.Agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "I am not limited" });
        await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        var other = await scene.Server.CreateContact("Bob");
        await using var bob = await scene.ConnectAsync(other.PubsubToken);
        var bobs = await bob.Hub.StartConversationAsync(new StartConversationRequest { Message = new NewMessage { Content = "me neither" } });
        Assert.Single(bobs.Messages);
    }
}
