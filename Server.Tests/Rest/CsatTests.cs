using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The inbox's csat_survey_enabled: resolving by an agent asks the customer for a rating (input_csat, once
/// per resolution, in the resolution's transaction); the customer's answer is the conversation's rating.</summary>
public sealed class CsatTests
{
    [Fact]
    public async Task The_setting_is_returned_and_set_by_the_admin_inbox_api()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AgentHttp(server.AgentToken);
        var created = await admin.PostRead<InboxAdminDto>("/api/v1/inboxes", new { name = "Rated", csat_survey_enabled = true });
        Assert.True(created.CsatSurveyEnabled);
        var first = (await admin.GetRead<List<InboxAdminDto>>("/api/v1/inboxes")).Single(i => i.Id == 1);
        Assert.False(first.CsatSurveyEnabled);

        var patched = await (await admin.PatchJson("/api/v1/inboxes/1", new { csat_survey_enabled = true })).Read<InboxAdminDto>();
        Assert.True(patched.CsatSurveyEnabled);
        Assert.Equal(first.Name, patched.Name);
        Assert.True((await server.Http.GetRead<InboxDto>(server.ClientApi)).CsatSurveyEnabled);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.PatchJson("/api/v1/inboxes/999", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task Resolving_asks_once_per_resolution_and_the_customers_rating_shows_on_the_conversation()
    {
        await using var scene = await ChatScene.StartAsync();
        using (var admin = scene.Server.AgentHttp(scene.Server.AgentToken))
            (await admin.PatchJson("/api/v1/inboxes/1", new { csat_survey_enabled = true })).EnsureSuccessStatusCode();
        var conversation = await scene.StartConversation("hello");

        await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved);
        var survey = (await scene.Customer.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.ContentType == "input_csat")).Message;
        Assert.Equal((MessageTypes.Outgoing, "Please rate the conversation"), (survey.MessageType, survey.Content));
        // The agent's own connection gets it too (its call answered the conversation, not the message).
        await scene.Agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Id == survey.Id);
        // Resolving again changes nothing, so asks nothing.
        await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved);

        var answer = JsonDocument.Parse("""{"csat_survey_response":{"rating":4,"feedback_message":"quick"}}""").RootElement;
        await scene.Customer.Hub.SubmitValuesAsync(survey.Id, answer);
        var rated = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        Assert.Equal(4, rated.Conversation.CsatRating);
        Assert.Single(rated.Messages, m => m.ContentType == "input_csat");
        Assert.Equal(4, (await scene.Agent.Hub.ListConversationsAsync(new ListConversationsRequest { Status = "all" })).Single().CsatRating);

        // Reopened and resolved again: a new survey.
        await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Open);
        await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved);
        var all = await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = conversation.Id });
        Assert.Equal(2, all.Messages.Count(m => m.ContentType == "input_csat"));
    }

    [Fact]
    public async Task Without_the_setting_or_when_the_customer_resolves_no_survey_is_sent()
    {
        await using var scene = await ChatScene.StartAsync();
        var conversation = await scene.StartConversation("hello");
        await scene.Agent.Hub.SetStatusAsync(conversation.Id, ConversationStatuses.Resolved);
        using (var admin = scene.Server.AgentHttp(scene.Server.AgentToken))
            (await admin.PatchJson("/api/v1/inboxes/1", new { csat_survey_enabled = true })).EnsureSuccessStatusCode();
        var second = await scene.StartConversation("again");
        await scene.Customer.Hub.SetStatusAsync(second.Id, ConversationStatuses.Resolved);
        foreach (var id in new[] { conversation.Id, second.Id })
            Assert.DoesNotContain((await scene.Agent.Hub.GetMessagesAsync(new GetMessagesRequest { ConversationId = id })).Messages,
                m => m.ContentType == "input_csat");
    }
}
