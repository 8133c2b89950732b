using System.Text;
using ChatHub.Contracts;
using ChatHub.Server.Features.Webhooks;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using ChatHub.Server.Tests.Webhooks;
using Xunit;
using static ChatHub.Server.Tests.ScaleOut.CrossNodeDeliveryTests;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Sneak peek (issue 27) with two nodes behind one real redis-server: a customer's unsent text, sent on node A,
/// reaches the inbox's agents on node B (hub and /cable) and nobody else: not the customer's other tab (on B), not its
/// /cable subscription, not another customer, not a webhook subscribed to every event, not the store. Each "not" is
/// checked behind a barrier that proves it would have arrived by then: a real message sent after the peeks from the same
/// node, which every one of those audiences must receive (pushes from one node arrive in the order it sent them).</summary>
public sealed class SneakPeekAcrossNodesTests
{
    [Fact]
    public async Task A_peek_on_A_reaches_the_agents_on_B_and_never_a_contact_a_webhook_or_the_store()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(storage: WebhookTestApi.FastRetries());
        using var adminOnA = nodes.A.AdminHttp();
        await adminOnA.CreateWebhookAsync(receiver.Url, [.. WebhookEvents.All]);

        var ann = await nodes.A.CreateContact("Ann");
        var bea = await nodes.A.CreateContact("Bea");
        await using var annTab = await Ready(nodes.A, ann.PubsubToken);
        await using var annOtherTab = await Ready(nodes.B, ann.PubsubToken);
        await using var beaTab = await Ready(nodes.B, bea.PubsubToken);
        await using var agent = await Ready(nodes.B, nodes.B.AgentToken);
        var (agentCable, agentIdentifier) = await RawCable.SubscribeAgentAsync(nodes.B, nodes.B.AgentToken);
        await using var _ = agentCable;
        await using var annCable = await RawCable.ConnectAsync(nodes.B, "actioncable-v1-json");
        var annIdentifier = RawCable.Identifier(ann.PubsubToken);
        await annCable.Subscribe(annIdentifier);
        await annCable.WaitForBroadcast(annIdentifier, "presence.update");

        var conversation = await annTab.Hub.StartConversationAsync(new StartConversationRequest());
        var beas = await beaTab.Hub.StartConversationAsync(new StartConversationRequest());
        await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
        await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == beas.Id);

        const string peekText = "sneak-peek-7f3a: my order number is";
        await annTab.Hub.InvokeAsync("SendSneakPeek", [conversation.Id, peekText]);
        var peek = await agent.Pushes.WaitFor<SneakPeekEvent>(p => p.ConversationId == conversation.Id);
        Assert.Equal(peekText, peek.Text);
        var onCable = await agentCable.WaitForBroadcast(agentIdentifier, "conversation.sneak_peek",
            d => d.GetProperty("conversation_id").GetInt64() == conversation.Id);
        Assert.Equal(peekText, onCable.GetProperty("message").GetProperty("data").GetProperty("text").GetString());
        // Cleared: the box was emptied.
        await annTab.Hub.InvokeAsync("SendSneakPeek", [conversation.Id, ""]);
        await agent.Pushes.WaitFor<SneakPeekEvent>(p => p.ConversationId == conversation.Id && p.Text == "");

        // The barriers, all sent from node A after the peeks: Ann's real message (her other tab, her /cable subscription, the
        // webhook), and an agent's message in Bea's conversation, sent through node A (Bea).
        var sent = await annTab.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "real message" });
        using (var adminHttp = nodes.A.AdminHttp())
            (await adminHttp.PostJson($"/api/v1/accounts/1/conversations/{beas.Id}/messages", new { content = "barrier for Bea" })).EnsureSuccessStatusCode();
        await annOtherTab.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id);
        await annCable.WaitForBroadcast(annIdentifier, "message.created", d => d.GetProperty("id").GetInt64() == sent.Id);
        await beaTab.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "barrier for Bea");
        await receiver.WaitForAsync(d => d.Event == "message_created" && d.Body.Contains("real message"), "the real message's webhook");
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == sent.Id); // the console clears the peek on it

        Assert.Empty(annTab.Pushes.All<SneakPeekEvent>());
        Assert.Empty(annOtherTab.Pushes.All<SneakPeekEvent>());
        Assert.Empty(beaTab.Pushes.All<SneakPeekEvent>());
        Assert.DoesNotContain(annCable.Frames, f => f.GetRawText().Contains("sneak"));
        Assert.DoesNotContain(receiver.Received, d => d.Body.Contains("sneak-peek-7f3a"));
        Assert.Equal(2, agent.Pushes.All<SneakPeekEvent>().Count); // each once, though the agent has two nodes' worth of routes

        // Never stored: the conversation holds the real message only, and no byte of the database has the peek's text.
        var history = await agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        Assert.Equal(["real message"], history.Messages.Where(m => m.MessageType != MessageTypes.Activity).Select(m => m.Content));
        foreach (var file in new[] { nodes.A.DbPath, nodes.A.DbPath + "-wal" }.Where(File.Exists))
        {
            await using var read = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var bytes = new MemoryStream();
            await read.CopyToAsync(bytes);
            Assert.DoesNotContain("sneak-peek-7f3a", Encoding.UTF8.GetString(bytes.ToArray()));
        }
    }
}
