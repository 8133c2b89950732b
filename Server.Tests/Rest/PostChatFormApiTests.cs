using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>The post-chat form (issue 27) over real HTTP, on every store: administrators set an inbox's questions
/// (validated; agents may not), the widget reads them publicly, a contact answers once for its own conversation (only
/// known questions, required ones, a choice among its options, sizes), and agents read the answers with their labels.</summary>
public sealed class PostChatFormApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static object Questions => new
    {
        questions = new object[]
        {
            new { id = "found", label = "Did you find what you needed?", type = "choice", options = new[] { "Yes", "No" }, required = true },
            new { id = "more", label = "Anything else?", type = "text", required = false },
        },
    };

    private async Task<(Contracts.InboxAdminDto Inbox, Contracts.ContactDto Contact, long ConversationId, string Answers)> InboxWithConversationAsync()
    {
        using var admin = shared.Server.AdminHttp();
        var inbox = await shared.Server.CreateInbox("Post-chat " + Guid.NewGuid().ToString("N")[..6]);
        var set = await admin.PutAsJsonAsync($"/api/v1/accounts/1/inboxes/{inbox.Id}/post_chat_form", Questions);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var contact = await shared.Server.CreateContactIn(inbox.Identifier, new { name = "Vera" });
        var contactPath = $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{contact.SourceId}/conversations";
        var started = await (await shared.Server.Http.PostJson(contactPath, new { message = new { content = "Hello" } })).JsonBody();
        var id = started.GetProperty("id").GetInt64();
        return (inbox, contact, id, $"{contactPath}/{id}/post_chat_answers");
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Administrators_set_the_questions_agents_and_the_widget_read_them_and_bad_forms_are_refused()
    {
        var (inbox, _, _, _) = await InboxWithConversationAsync();
        using var admin = shared.Server.AdminHttp();
        var path = $"/api/v1/accounts/1/inboxes/{inbox.Id}/post_chat_form";
        using var agent = shared.Server.AgentHttp((await shared.Server.CreateAgent("Grace")).AccessToken!);

        var read = await (await agent.GetAsync(path)).JsonBody();
        Assert.Equal(["found", "more"], read.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("id").GetString()));
        var widget = await (await shared.Server.Http.GetAsync($"/public/api/v1/inboxes/{inbox.Identifier}/post_chat_form")).JsonBody();
        var first = widget.GetProperty("questions")[0];
        Assert.Equal(("choice", true), (first.GetProperty("type").GetString(), first.GetProperty("required").GetBoolean()));
        Assert.Equal(["Yes", "No"], first.GetProperty("options").EnumerateArray().Select(o => o.GetString()));

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutAsJsonAsync(path, Questions)).StatusCode);
        object One(object q) => new { questions = new[] { q } };
        await (await admin.PutAsJsonAsync(path, new { })).AssertValidation("questions");
        await (await admin.PutAsJsonAsync(path, One(new { id = "bad id", label = "L", type = "text" }))).AssertInvalidQuestions();
        await (await admin.PutAsJsonAsync(path, One(new { id = "q", label = "", type = "text" }))).AssertInvalidQuestions();
        await (await admin.PutAsJsonAsync(path, One(new { id = "q", label = new string('l', 201), type = "text" }))).AssertInvalidQuestions();
        await (await admin.PutAsJsonAsync(path, One(new { id = "q", label = "L", type = "date" }))).AssertInvalidQuestions();
        await (await admin.PutAsJsonAsync(path, One(new { id = "q", label = "L", type = "choice", options = new[] { "Only" } }))).AssertInvalidQuestions();
        var eleven = new { questions = Enumerable.Range(0, 11).Select(i => new { id = $"q{i}", label = "L", type = "text" }) };
        await (await admin.PutAsJsonAsync(path, eleven)).AssertValidation("questions");
        var twice = new { questions = new[] { new { id = "q", label = "L", type = "text" }, new { id = "q", label = "M", type = "text" } } };
        await (await admin.PutAsJsonAsync(path, twice)).AssertValidation("questions");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/v1/accounts/1/inboxes/999999/post_chat_form", Questions)).StatusCode);
        // Unchanged by the refusals.
        Assert.Equal(2, (await (await agent.GetAsync(path)).JsonBody()).GetProperty("questions").GetArrayLength());
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task A_contact_answers_once_only_known_questions_and_agents_read_the_answers()
    {
        var (_, _, conversationId, answers) = await InboxWithConversationAsync();
        var http = shared.Server.Http;

        await (await http.PostJson(answers, new { answers = new Dictionary<string, string> { ["more"] = "x" } })).AssertValidation("answers"); // required missing
        await (await http.PostJson(answers, new { answers = new Dictionary<string, string> { ["found"] = "Maybe" } })).AssertValidation("answers");
        await (await http.PostJson(answers, new { answers = new Dictionary<string, string> { ["found"] = "Yes", ["age"] = "40" } })).AssertValidation("answers");
        await (await http.PostJson(answers, new { answers = new Dictionary<string, string> { ["found"] = "Yes", ["more"] = new string('a', 1001) } })).AssertValidation("answers");
        await (await http.PostJson(answers, new { })).AssertValidation("answers");

        var given = await (await http.PostJson(answers, new { answers = new Dictionary<string, string> { ["found"] = "Yes", ["more"] = "Great help" } })).JsonBody();
        Assert.Equal(2, given.GetProperty("answers").GetArrayLength());
        await (await http.PostJson(answers, new { answers = new Dictionary<string, string> { ["found"] = "No" } })).AssertValidation("answers"); // once

        using var admin = shared.Server.AdminHttp();
        var read = await (await admin.GetAsync($"/api/v1/accounts/1/conversations/{conversationId}/post_chat_answers")).JsonBody();
        var list = read.GetProperty("answers").EnumerateArray().ToList();
        Assert.Equal([("Did you find what you needed?", "Yes"), ("Anything else?", "Great help")],
            list.Select(a => (a.GetProperty("label").GetString(), a.GetProperty("answer").GetString())));
        // An agent outside the inbox may not read them (as every conversation of an inbox it is no member of).
        using var outsider = shared.Server.AgentHttp((await shared.Server.CreateAgent("Outsider", inboxId: null)).AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/v1/accounts/1/conversations/{conversationId}/post_chat_answers")).StatusCode);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Another_contact_cannot_answer_for_a_conversation_and_an_inbox_without_a_form_takes_no_answers()
    {
        var (inbox, _, conversationId, _) = await InboxWithConversationAsync();
        var stranger = await shared.Server.CreateContactIn(inbox.Identifier, new { name = "Mallory" });
        var theirs = $"/public/api/v1/inboxes/{inbox.Identifier}/contacts/{stranger.SourceId}/conversations/{conversationId}/post_chat_answers";
        Assert.Equal(HttpStatusCode.NotFound, (await shared.Server.Http.PostJson(theirs, new { answers = new Dictionary<string, string> { ["found"] = "No" } })).StatusCode);

        var plain = await shared.Server.CreateContactIn(shared.Server.InboxIdentifier, new { name = "Plain" });
        var path = $"{shared.Server.ClientApi}/contacts/{plain.SourceId}/conversations";
        var started = (await (await shared.Server.Http.PostJson(path, new { message = new { content = "Hi" } })).JsonBody()).GetProperty("id").GetInt64();
        // Inbox 1 of this class's own server has no form.
        await (await shared.Server.Http.PostJson($"{path}/{started}/post_chat_answers", new { answers = new Dictionary<string, string> { ["found"] = "No" } }))
            .AssertValidation("answers");
    }
}

internal static class PostChatFormAssertions
{
    /// <summary>A 422 whose errors name a field of the questions (questions, or one question's field).</summary>
    public static async Task AssertInvalidQuestions(this HttpResponseMessage response)
    {
        var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, Contracts.ErrorCodes.Validation);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith("questions", StringComparison.Ordinal));
    }
}
