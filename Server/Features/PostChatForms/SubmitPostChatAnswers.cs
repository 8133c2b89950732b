using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.PostChatForms;

/// <summary>A contact answers its inbox's post-chat form for one of its conversations (issue 27), once: answers by
/// question id, only to the inbox's questions, every required one answered, a choice one of its options. Stored with
/// the conversation; agents see them (GetPostChatAnswers) and get a ConversationUpdated push, the contact's stream
/// does not move.</summary>
public sealed record SubmitPostChatAnswers(long ConversationId, IReadOnlyDictionary<string, string?>? Answers) : ICommand<IReadOnlyList<PostChatAnswer>>;

public sealed class SubmitPostChatAnswersValidator : AbstractValidator<SubmitPostChatAnswers>
{
    public SubmitPostChatAnswersValidator()
    {
        RuleFor(c => c.ConversationId).GreaterThan(0).WithMessage("conversation_id must be positive").OverridePropertyName("conversation_id");
        RuleFor(c => c.Answers).NotNull().WithMessage("answers is required")
            .Must(a => a is null || a.Count <= PostChatForm.MaxQuestions).WithMessage($"at most {PostChatForm.MaxQuestions} answers")
            .Must(a => a is null || a.All(p => PostChatForm.IsId(p.Key) && (p.Value?.Length ?? 0) <= PostChatForm.MaxAnswerLength))
            .WithMessage($"answers are by question id, each at most {PostChatForm.MaxAnswerLength} characters")
            .Must(a => a is null || a.Values.All(v => v is null || WellFormedText.IsWellFormed(v)))
            .WithMessage("answers must be well-formed Unicode text (no lone surrogate, no NUL character)")
            .OverridePropertyName("answers");
    }
}

public sealed class SubmitPostChatAnswersHandler(RateLimits rateLimits) : ICommandHandler<SubmitPostChatAnswers, IReadOnlyList<PostChatAnswer>>
{
    public void Authorize(Caller caller, SubmitPostChatAnswers command)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only contacts answer the post-chat form");
        rateLimits.Check(RateLimitedAction.Submission, caller.Key);
    }

    public async ValueTask<IReadOnlyList<PostChatAnswer>> HandleAsync(SubmitPostChatAnswers command, CommandContext context)
    {
        var c = await ConversationAccess.ForUpdateAsync(context.Store, context.Caller, command.ConversationId);
        var inbox = await context.Store.GetInboxAsync(c.InboxId) ?? throw ChatException.NotFound("inbox");
        var questions = PostChatForm.QuestionsOf(inbox.PostChatForm);
        if (questions.Count == 0) throw ChatException.Invalid("answers", "this inbox has no post-chat form");
        if (c.PostChatAnswers is not null) throw ChatException.Invalid("answers", "the post-chat form of this conversation is answered already");
        var given = command.Answers!;
        if (given.Keys.FirstOrDefault(id => questions.All(q => q.Id != id)) is { } unknown)
            throw ChatException.Invalid("answers", $"no question {unknown} in this inbox's post-chat form");

        var answers = new List<PostChatAnswer>();
        foreach (var q in questions)
        {
            var answer = given.GetValueOrDefault(q.Id)?.Trim();
            if (string.IsNullOrEmpty(answer))
            {
                if (q.Required) throw ChatException.Invalid("answers", $"{q.Label} is required");
                continue;
            }
            if (q.Type == PostChatForm.Choice && !(q.Options ?? []).Contains(answer))
                throw ChatException.Invalid("answers", $"{q.Label}: choose one of its options");
            answers.Add(new PostChatAnswer(q.Id, q.Label, answer));
        }
        c.PostChatAnswers = PostChatForm.AnswersJson(answers);
        var contactStream = await ConversationChanges.ContactStreamAsync(context, c);
        await ConversationChanges.UpdateAsync(context, c, contactStream, [new ChangedAttribute("post_chat_answers", null, answers)], visibleToContact: false);
        return answers;
    }
}
