using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>The inbox's csat_survey_enabled, in-process: an agent resolving asks the customer for a rating (input_csat,
/// once per resolution, in the resolution's transaction); the customer's answer is the conversation's rating.</summary>
public sealed class CsatTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Resolving_asks_once_per_resolution_and_the_customers_rating_shows_on_the_conversation()
    {
        await using var host = await UseCaseHost.StartAsync();
        await host.Send(host.Admin, new UpdateInbox(UseCaseHost.InboxId, null, null, null, null, null, CsatSurveyEnabled: true));
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");

        var console = host.Admin with { ConnectionId = "console-1" };
        await host.Send(console, new SetStatus(conversation.Id, ConversationStatuses.Resolved));
        var surveyEvent = host.Events.OfType<MessageCreated>().Single(m => m.Message.ContentType == ContentTypes.InputCsat);
        var survey = surveyEvent.Message;
        Assert.Equal((MessageTypes.Outgoing, CsatSurvey.Question, false), (survey.MessageType, survey.Content, survey.Private));
        Assert.True(Visibility.ContactSees(surveyEvent));
        // The resolving call answered the conversation, not the message: its own connection is sent the survey too.
        Assert.Null(surveyEvent.OriginConnectionId);
        // Resolving again changes nothing, so asks nothing.
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Resolved));
        Assert.Single(host.Events.OfType<MessageCreated>(), m => m.Message.ContentType == ContentTypes.InputCsat);

        await host.Send(ann, new SubmitValues(survey.Id, Json("""{"csat_survey_response":{"rating":4,"feedback_message":"quick"}}""")));
        var rated = await host.Ask(host.Admin, new GetMessages(conversation.Id, null, null, null));
        Assert.Equal(4, rated.Conversation.CsatRating);
        Assert.Single(rated.Messages, m => m.ContentType == ContentTypes.InputCsat);
        Assert.Equal(4, (await host.Ask(host.Admin, new ListConversations("all", null, null, null))).Conversations.Single().CsatRating);

        // Reopened and resolved again: a new survey.
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Open));
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Resolved));
        Assert.Equal(2, (await host.MessagesAsync(host.Admin, conversation.Id)).Count(m => m.ContentType == ContentTypes.InputCsat));
    }

    [Fact]
    public async Task Without_the_setting_or_when_the_customer_resolves_no_survey_is_sent()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var first = await host.ConversationAsync(ann, "hello");
        await host.Send(host.Admin, new SetStatus(first.Id, ConversationStatuses.Resolved));
        await host.Send(host.Admin, new UpdateInbox(UseCaseHost.InboxId, null, null, null, null, null, CsatSurveyEnabled: true));
        var second = await host.ConversationAsync(ann, "again");
        await host.Send(ann, new SetStatus(second.Id, ConversationStatuses.Resolved));

        foreach (var id in new[] { first.Id, second.Id })
            Assert.DoesNotContain(await host.MessagesAsync(host.Admin, id), m => m.ContentType == ContentTypes.InputCsat);
    }

    [Fact]
    public async Task A_rating_is_1_to_5_in_the_answer_or_its_csat_survey_response_and_anything_else_keeps_the_last_one()
    {
        Assert.Equal(4, CsatSurvey.RatingOf(Json("""{"csat_survey_response":{"rating":4}}""")));
        Assert.Equal(5, CsatSurvey.RatingOf(Json("""{"rating":5}""")));
        foreach (var none in new[] { """{"rating":0}""", """{"rating":6}""", """{"rating":"5"}""", """{"rating":4.5}""", "[]", """{"feedback":"x"}""" })
            Assert.Null(CsatSurvey.RatingOf(Json(none)));

        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        var survey = await host.SayAsync(host.Admin, conversation.Id, "Rate us", contentType: ContentTypes.InputCsat);
        await host.Send(ann, new SubmitValues(survey.Id, Json("""{"rating":3}""")));
        await host.Send(ann, new SubmitValues(survey.Id, Json("""{"rating":9}""")));
        Assert.Equal(3, (await host.ConversationOfAsync(host.Admin, conversation.Id)).CsatRating);
    }
}
