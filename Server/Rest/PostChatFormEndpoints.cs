using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.PostChatForms;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Rest;

/// <summary>The post-chat form (issue 27): an inbox's questions (administrators set them, agents read them) and a
/// conversation's answers (agents read them) on the application API; the widget's read of the questions and the
/// contact's answers on the public API. Answers <c>{questions: [...]}</c> and <c>{answers: [...]}</c>.</summary>
public static class PostChatFormEndpoints
{
    public sealed record QuestionsBody(List<PostChatQuestion>? Questions);
    public sealed record AnswersBody(Dictionary<string, string?>? Answers);

    public static void MapPostChatForms(this RouteGroupBuilder account)
    {
        account.MapGet("/inboxes/{id:long}/post_chat_form", async (long id, HttpContext http, Dispatcher use) =>
            new { questions = await use.AskAsync<GetPostChatForm, IReadOnlyList<PostChatQuestion>>(http.Agent(), new GetPostChatForm(id)) });
        account.MapPut("/inboxes/{id:long}/post_chat_form", async (long id, QuestionsBody? body, HttpContext http, Dispatcher use) =>
            new { questions = await use.SendAsync<SetPostChatForm, IReadOnlyList<PostChatQuestion>>(http.Agent(), new SetPostChatForm(id, body?.Questions)) });
        account.MapGet("/conversations/{id:long}/post_chat_answers", async (long id, HttpContext http, Dispatcher use) =>
            new { answers = await use.AskAsync<GetPostChatAnswers, IReadOnlyList<PostChatAnswer>>(http.Agent(), new GetPostChatAnswers(id)) });
    }

    /// <summary>Under /public/api/v1/inboxes/{inbox_identifier}.</summary>
    public static void MapPublicPostChatForms(this RouteGroupBuilder inbox)
    {
        inbox.MapGet("/post_chat_form", async (string inbox_identifier, Dispatcher use) =>
            new { questions = await use.AskAsync<GetPublicPostChatForm, IReadOnlyList<PostChatQuestion>>(Caller.Anonymous, new GetPublicPostChatForm(inbox_identifier)) });
        inbox.MapPost("/contacts/{source_id}/conversations/{conversation_id:long}/post_chat_answers", async (string inbox_identifier, string source_id,
            long conversation_id, AnswersBody? body, ContactCredentials contacts, Dispatcher use) =>
            new { answers = await use.SendAsync<SubmitPostChatAnswers, IReadOnlyList<PostChatAnswer>>(
                await contacts.ResolveAsync(inbox_identifier, source_id), new SubmitPostChatAnswers(conversation_id, body?.Answers)) });
    }
}
