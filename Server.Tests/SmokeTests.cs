using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Health_and_openapi_answer()
    {
        await using var server = await ChatServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/healthz")).StatusCode);
        var openApi = await server.Http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/public/api/v1/inboxes/{inbox_identifier}/contacts", openApi);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Customer_starts_a_conversation_over_rest()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "hello");
        Assert.Equal(ConversationStatuses.Open, conversation.Status);
        var message = Assert.Single(conversation.Messages);
        Assert.Equal("hello", message.Content);
        Assert.Equal(1, message.Seq);
    }
}
