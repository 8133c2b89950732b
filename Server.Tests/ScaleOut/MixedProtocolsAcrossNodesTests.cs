using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Behind Redis a group send is serialised once per protocol of the hub (JSON and MessagePack) and each node
/// hands every connection its own protocol's bytes: JSON and MessagePack clients of one conversation, on both nodes,
/// get the same pushes, interactive content and submitted values included.</summary>
public sealed class MixedProtocolsAcrossNodesTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public async Task JSON_and_MessagePack_clients_on_two_nodes_share_a_conversation()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var contact = await nodes.A.CreateContact("Ann");
        // The customer on MessagePack on A and on JSON on B (a second device); the agent on JSON on B and, watching
        // only, on MessagePack on A and on JSON on A.
        await using var customer = await ProtocolSession.MessagePackAsync(nodes.A, contact.PubsubToken);
        await using var customerPhone = await ProtocolSession.JsonAsync(nodes.B, contact.PubsubToken);
        await using var agent = await ProtocolSession.JsonAsync(nodes.B, nodes.B.AgentToken);
        await using var watchingOnA = await ProtocolSession.MessagePackAsync(nodes.A, nodes.A.AgentToken);
        await using var watchingOnAJson = await ProtocolSession.JsonAsync(nodes.A, nodes.A.AgentToken);

        var conversation = await customer.Hub.StartConversationAsync(new StartConversationRequest
        {
            CustomAttributes = new() { ["order"] = Json("""{"id":42,"lines":["tea","cake"]}""") },
            Message = new NewMessage { Content = "hello from A 👋", EchoId = "c-1" },
        });
        var created = await agent.Pushes.WaitFor<Pushed.ConversationCreated>(c => c.Conversation.Id == conversation.Id);
        Assert.Equal(42, created.Conversation.CustomAttributes!["order"].GetProperty("id").GetInt32());
        var first = await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.ConversationId == conversation.Id);
        Assert.Equal("hello from A 👋", first.Message.Content);
        Assert.Equal("c-1", (await customerPhone.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == first.Message.Id)).Message.EchoId);

        // From B (JSON) to A (MessagePack): an interactive question.
        var choices = Json("""{"items":[{"title":"🍕 Pizza","value":"pizza"},{"title":"Salad","value":"salad","price":9.5}]}""");
        var question = await agent.Hub.SendMessageAsync(new SendMessageRequest
        {
            ConversationId = conversation.Id, Content = "What would you like?", ContentType = "input_select", ContentAttributes = choices,
        });
        var asked = await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == question.Id);
        SameJson.Equal(choices, asked.Message.ContentAttributes);
        SameJson.Equal(asked, await customerPhone.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == question.Id));

        // From A (MessagePack) to B (JSON): the answer.
        var answer = Json("""[{"title":"Salad","value":"salad"}]""");
        await customer.Hub.SubmitValuesAsync(question.Id, answer);
        var answered = await agent.Pushes.WaitFor<Pushed.MessageUpdated>(m => m.Message.Id == question.Id);
        SameJson.Equal(answer, answered.Message.ContentAttributes!.Value.GetProperty("submitted_values"));
        SameJson.Equal(choices.GetProperty("items"), answered.Message.ContentAttributes!.Value.GetProperty("items"));

        // A barrier from each node: the agent's reply (B) and the customer's thanks (A).
        var reply = await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "Coming up" });
        await customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
        var thanks = await customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "Thanks" });
        await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == thanks.Id);
        foreach (var watcher in new[] { watchingOnA, watchingOnAJson })
        {
            await watcher.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == reply.Id);
            await watcher.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == thanks.Id);
        }
        // The watchers on A got the same pushes, whichever node raised them, each in its own protocol.
        Assert.Equal(["ConversationCreated", "MessageCreated", "MessageCreated", "MessageUpdated", "MessageCreated", "MessageCreated"],
            ChatPushes(watchingOnA).Select(e => e.GetType().Name));
        SameJson.Equal(ChatPushes(watchingOnAJson), ChatPushes(watchingOnA));
        SameJson.Equal(answered, ChatPushes(watchingOnA).OfType<Pushed.MessageUpdated>().Single());

        Assert.Equal(0, customer.Frames.Text + watchingOnA.Frames.Text);
        Assert.Equal(0, customerPhone.Frames.Binary + agent.Frames.Binary + watchingOnAJson.Frames.Binary);
    }

    // Presence pushes follow each agent connection's own arrival, so two connections see different ones.
    private static IReadOnlyList<object> ChatPushes(ProtocolSession session) => session.Pushes.Events.Where(e => e is not PresenceEvent).ToList();
}
