using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.PostChatForms;

/// <summary>An administrator sets an inbox's post-chat form (issue 27): the questions the widget asks after the CSAT
/// rating, replacing those before; an empty list removes the form. Answers already given keep their labels.</summary>
public sealed record SetPostChatForm(long InboxId, IReadOnlyList<PostChatQuestion>? Questions) : ICommand<IReadOnlyList<PostChatQuestion>>;

public sealed class SetPostChatFormValidator : AbstractValidator<SetPostChatForm>
{
    public SetPostChatFormValidator()
    {
        RuleFor(c => c.Questions).NotNull().WithMessage("questions is required")
            .Must(q => q is null || q.Count <= PostChatForm.MaxQuestions).WithMessage($"a post-chat form has at most {PostChatForm.MaxQuestions} questions")
            .Must(q => q is null || q.Select(x => x?.Id).Distinct().Count() == q.Count).WithMessage("question ids must be unique")
            .OverridePropertyName("questions");
        RuleForEach(c => c.Questions).ChildRules(q =>
        {
            q.RuleFor(x => x).NotNull().WithMessage("a question must be an object");
            q.RuleFor(x => x.Id).Must(PostChatForm.IsId)
                .WithMessage($"a question's id must be 1 to {PostChatForm.MaxIdLength} letters, digits, '-' or '_'");
            q.RuleFor(x => x.Label).Must(l => l is not null && l.Trim().Length >= 1 && l.Length <= PostChatForm.MaxLabelLength)
                .WithMessage($"a question's label must be 1 to {PostChatForm.MaxLabelLength} characters").WellFormed();
            q.RuleFor(x => x.Type).Must(t => t is PostChatForm.Text or PostChatForm.Choice).WithMessage("a question's type must be text or choice");
            q.RuleFor(x => x.Options)
                .Must(o => o is { Count: >= 2 and <= PostChatForm.MaxOptions } && o.All(s => s is { Length: >= 1 and <= PostChatForm.MaxOptionLength })
                    && o.Distinct().Count() == o.Count)
                .When(x => x.Type == PostChatForm.Choice)
                .WithMessage($"a choice has 2 to {PostChatForm.MaxOptions} different options of 1 to {PostChatForm.MaxOptionLength} characters");
            q.RuleForEach(x => x.Options).WellFormed();
        }).OverridePropertyName("questions");
    }
}

public sealed class SetPostChatFormHandler(RateLimits rateLimits) : ICommandHandler<SetPostChatForm, IReadOnlyList<PostChatQuestion>>
{
    public void Authorize(Caller caller, SetPostChatForm command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<IReadOnlyList<PostChatQuestion>> HandleAsync(SetPostChatForm command, CommandContext context)
    {
        var inbox = await context.Store.GetInboxAsync(command.InboxId) ?? throw ChatException.NotFound("inbox");
        // A text question has no options: what is stored is only what the form shows.
        var questions = command.Questions!.Select(q => q with { Label = q.Label.Trim(), Options = q.Type == PostChatForm.Choice ? q.Options : null }).ToList();
        inbox.PostChatForm = PostChatForm.QuestionsJson(questions);
        await context.Store.UpdateInboxAsync(inbox);
        return questions;
    }
}
