using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>SubmitValues's rules, in-process: a contact answers an agent's interactive message of its own conversation;
/// the answer is stored beside the question's attributes and the message takes the conversation's next seq.</summary>
public sealed class SubmitValuesTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static Task<MessageDto> AskAsync(UseCaseHost host, long conversationId, string contentType = "input_select") =>
        host.SayAsync(host.Admin, conversationId, "What do you need help with?", contentType: contentType,
            contentAttributes: Json("""{"items":[{"title":"Billing","value":"billing"},{"title":"Shipping","value":"shipping"}]}"""));

    [Fact]
    public async Task The_answer_is_stored_beside_the_questions_attributes_and_takes_the_next_seq()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "I need help");
        var question = await AskAsync(host, conversation.Id);
        Assert.Equal("input_select", question.ContentType);

        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var answered = await host.Send(ann, new SubmitValues(question.Id, Json("""[{"title":"Shipping","value":"shipping"}]"""), conversation.Id));

        Assert.Equal(question.Id, answered.Id);
        Assert.Equal("shipping", answered.ContentAttributes!.Value.GetProperty("submitted_values")[0].GetProperty("value").GetString());
        Assert.Equal(2, answered.ContentAttributes.Value.GetProperty("items").GetArrayLength()); // the question's own attributes stay
        Assert.True(answered.Seq > question.Seq, "an update takes the conversation's next seq");
        Assert.InRange(answered.UpdatedAt, from, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var stored = (await host.MessagesAsync(host.Admin, conversation.Id)).Single(m => m.Id == question.Id);
        Assert.Equal("shipping", stored.ContentAttributes!.Value.GetProperty("submitted_values")[0].GetProperty("value").GetString());
        var updated = host.Events.OfType<MessageUpdated>().Single();
        Assert.Equal(question.Id, updated.Message.Id);
        Assert.Equal(SenderTypes.Agent, updated.Sender!.Type); // still the agent's message
    }

    [Fact]
    public async Task Only_an_agents_interactive_message_takes_an_answer()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        var text = await host.SayAsync(host.Admin, conversation.Id, "plain text");
        var cards = await host.SayAsync(host.Admin, conversation.Id, "cards", contentType: "cards");
        var body = Json("""{"answer":1}""");

        foreach (var id in new[] { conversation.Messages[0].Id, text.Id, cards.Id })
            await Refusal.Invalid("message_id", () => host.Send(ann, new SubmitValues(id, body)));
        foreach (var type in ContentTypes.Answerable)
            await host.Send(ann, new SubmitValues((await AskAsync(host, conversation.Id, type)).Id, body));
    }

    [Fact]
    public async Task Only_contacts_submit_and_only_to_messages_of_their_own_conversation_they_see()
    {
        await using var host = await UseCaseHost.StartAsync();
        var alice = await host.ContactAsync("Alice");
        var bob = await host.ContactAsync("Bob");
        var alices = await host.ConversationAsync(alice, "hi");
        var bobs = await host.ConversationAsync(bob, "hi");
        var bobsQuestion = await AskAsync(host, bobs.Id, "input_csat");
        var alicesQuestion = await AskAsync(host, alices.Id, "input_csat");
        var note = await host.SayAsync(host.Admin, alices.Id, "internal", isPrivate: true);
        var rating = Json("""{"rating":1}""");

        await Refusal.Forbidden(() => host.Send(host.Admin, new SubmitValues(alicesQuestion.Id, rating)));
        await Refusal.NotFound(() => host.Send(alice, new SubmitValues(bobsQuestion.Id, rating)));
        await Refusal.NotFound(() => host.Send(alice, new SubmitValues(bobsQuestion.Id, rating, alices.Id)));
        // Alice's own question, but named under Bob's conversation (the REST path): still not found.
        await Refusal.NotFound(() => host.Send(alice, new SubmitValues(alicesQuestion.Id, rating, bobs.Id)));
        await Refusal.NotFound(() => host.Send(alice, new SubmitValues(note.Id, rating)));
        await Refusal.NotFound(() => host.Send(alice, new SubmitValues(999_999, rating)));
        Assert.Empty(host.Events.OfType<MessageUpdated>());
    }

    [Fact]
    public async Task Submitted_values_are_an_object_or_array_within_the_attribute_limits()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        var question = await AskAsync(host, conversation.Id);

        foreach (var json in new[] { "\"x\"", "42", "null", $$"""{"a":"{{new string('x', 9000)}}"}""", new string('[', 40) + new string(']', 40), """["\ud800"]""" })
            await Refusal.Invalid("submitted_values", () => host.Send(ann, new SubmitValues(question.Id, Json(json))));
        await Refusal.Invalid("submitted_values", () => host.Send(ann, new SubmitValues(question.Id, null)));
        await Refusal.Invalid("message_id", () => host.Send(ann, new SubmitValues(0, Json("{}"))));
    }
}
