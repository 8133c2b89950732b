using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>A contact's content_attributes keep only what Chatwoot's contact side takes (ContactContentAttributes):
/// <c>in_reply_to</c> naming a message of the conversation the contact sees; a forged <c>submitted_values</c> (an answer
/// to a form nobody sent) or anything else is dropped, not refused. Agents keep everything (interactive messages).</summary>
public sealed class ContactContentAttributesTests
{
    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    private static readonly object Forged = new[] { new { name = "plan", value = "enterprise, free forever" } };

    [Fact]
    public async Task A_contact_keeps_only_in_reply_to_a_message_of_the_conversation_it_sees()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync("Ann");
        var conversation = await host.ConversationAsync(ann, "hello");
        var reply = await host.SayAsync(host.Admin, conversation.Id, "how can I help?");
        var note = await host.SayAsync(host.Admin, conversation.Id, "internal", isPrivate: true);
        var bob = await host.ContactAsync("Bob");
        var elsewhere = await host.SayAsync(bob, (await host.ConversationAsync(bob, null)).Id, "not yours");

        var forged = await host.SayAsync(ann, conversation.Id, "I filled in your form",
            contentAttributes: Json(new { in_reply_to = reply.Id, submitted_values = Forged, items = new[] { new { title = "x" } } }));
        Assert.Equal($$"""{"in_reply_to":{{reply.Id}}}""", forged.ContentAttributes?.GetRawText());
        Assert.Equal(forged.ContentAttributes?.GetRawText(),
            (await host.MessagesAsync(host.Admin, conversation.Id)).Single(m => m.Id == forged.Id).ContentAttributes?.GetRawText());

        // A digit string is taken, as Rails takes it; a private note, another conversation's message, a missing one or
        // anything not an id is dropped.
        foreach (var (inReplyTo, kept) in new (object, bool)[]
        {
            (reply.Id.ToString(), true), (note.Id, false), (elsewhere.Id, false), (999_999, false), ("abc", false), (-1, false),
            (new { id = reply.Id }, false),
        })
        {
            var sent = await host.SayAsync(ann, conversation.Id, $"reply to {inReplyTo}", contentAttributes: Json(new { in_reply_to = inReplyTo }));
            Assert.Equal(kept ? $$"""{"in_reply_to":{{reply.Id}}}""" : null, sent.ContentAttributes?.GetRawText());
        }
        Assert.Null((await host.SayAsync(ann, conversation.Id, "and this", contentAttributes: Json(new { submitted_values = Forged }))).ContentAttributes);
        Assert.DoesNotContain(host.Events.OfType<Application.Events.MessageCreated>(), e => e.Message.ContentAttributes?.Contains("enterprise") == true);
    }

    [Fact]
    public async Task An_agent_keeps_every_attribute_and_a_forged_answer_leaves_the_question_unanswered()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        var question = await host.SayAsync(host.Admin, conversation.Id, "Which plan?", contentType: "input_select",
            contentAttributes: Json(new { items = new[] { new { title = "Pro", value = "pro" } } }));
        Assert.Equal("""{"items":[{"title":"Pro","value":"pro"}]}""", question.ContentAttributes?.GetRawText());

        await host.SayAsync(ann, conversation.Id, "Enterprise please", contentAttributes: Json(new { in_reply_to = question.Id, submitted_values = Forged }));

        var asked = (await host.MessagesAsync(host.Admin, conversation.Id)).Single(m => m.Id == question.Id);
        Assert.False(asked.ContentAttributes!.Value.TryGetProperty("submitted_values", out _));
        Assert.Equal(question.Seq, asked.Seq);
    }
}
