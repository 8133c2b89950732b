using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Hardening;

/// <summary>A customer's credentials (source_id: the client API's key; pubsub_token: the realtime token) never
/// reach agents: an agent who had them could act as the customer.</summary>
public sealed class CredentialTests
{
    [Fact]
    public async Task No_push_or_answer_to_an_agent_carries_a_contacts_source_id_or_pubsub_token()
    {
        await using var scene = await ChatScene.StartAsync();
        var server = scene.Server;
        var secrets = new[] { scene.Contact.SourceId, scene.Contact.PubsubToken };
        var conversation = await scene.StartConversation("hello");

        // Every kind of change an agent hears about, from both transports.
        await scene.Customer.Hub.UpdateContactAsync(new UpdateContactRequest { Name = "Ann Renamed", Email = "ann@example.com" });
        await server.Http.PatchJson(server.ContactPath(scene.Contact), new { phone_number = "+15550100" });
        await scene.Customer.Hub.SetTypingAsync(conversation.Id, true);
        await scene.Customer.Hub.MarkSeenAsync(conversation.Id);
        var admin = server.AdminHttp();
        await admin.SendAsAgent(conversation.Id, "a reply");
        await scene.Agent.Hub.AssignAsync(conversation.Id, 1);
        var last = await scene.Customer.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = "last" });
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == last.Id);
        var contactPushes = await scene.Agent.Pushes.WaitForCount<Pushed.ContactUpdated>(2);
        Assert.All(contactPushes, p => Assert.Equal(scene.Contact.Id, p.Contact.Id)); // agents know the contact by id

        var pushed = JsonSerializer.Serialize(scene.Agent.Pushes.Events.Cast<object>().ToList());
        AssertFree(pushed, secrets, "the agent's pushes");

        var answers = new List<string>
        {
            await admin.GetStringAsync("/api/v1/profile"),
            await admin.GetStringAsync("/api/v1/conversations?status=all"),
            await admin.GetStringAsync(AgentConversationPath(conversation.Id)),
            await admin.GetStringAsync($"{AgentConversationPath(conversation.Id)}/messages"),
            await admin.GetStringAsync("/api/v1/accounts/1/conversations?status=all"),
            await admin.GetStringAsync($"/api/v1/accounts/1/conversations/{conversation.Id}"),
            await admin.GetStringAsync($"/api/v1/accounts/1/conversations/{conversation.Id}/messages"),
            await (await admin.PostJson($"/api/v1/accounts/1/conversations/{conversation.Id}/assignments", new { assignee_id = 1 }))
                .Content.ReadAsStringAsync(),
            JsonSerializer.Serialize(await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" })),
            JsonSerializer.Serialize(await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id })),
        };
        foreach (var answer in answers) AssertFree(answer, secrets, "an answer to the agent");
    }

    private static void AssertFree(string text, string[] secrets, string where)
    {
        foreach (var secret in secrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} carried a customer credential: {text}");
    }
}
