using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>A slow or dead receiver is its own webhook's problem only.</summary>
public sealed class WebhookIsolationTests
{
    [Fact]
    public async Task A_receiver_that_does_not_answer_holds_up_neither_chat_nor_other_webhooks()
    {
        var settings = FastRetries();
        settings["Webhooks:Timeout"] = "00:02:00"; // the stuck receiver stays stuck for the whole test
        await using var server = await ChatServer.StartAsync(settings: settings);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stuck = await WebhookReceiver.StartAsync(async _ => { await release.Task; return 200; });
        await using var healthy = await WebhookReceiver.StartAsync();
        using var admin = server.AdminHttp();
        await admin.CreateWebhookAsync(stuck.Url, "message_created");
        await admin.CreateWebhookAsync(healthy.Url, "message_created");

        var contact = await server.CreateContact("Ann");
        var conversation = await server.StartConversation(contact, "m0");
        for (var i = 1; i < 5; i++) await server.SendAsContact(contact, conversation.Id, $"m{i}"); // acknowledged meanwhile
        await healthy.WaitUntilAsync(r => r.Accepted.Count == 5, "the healthy receiver gets all five");
        Assert.Empty(stuck.Received); // still holding its first

        release.SetResult();
        await stuck.WaitUntilAsync(r => r.Accepted.Count == 5, "the stuck receiver gets all five once it answers");
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"m{i}"), stuck.Accepted.Select(d => d.Json.GetProperty("content").GetString()));
    }
}
