using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.PostChatForms;

/// <summary>An agent of the conversation's inbox reads the customer's post-chat answers (issue 27; the console's
/// conversation details); empty until answered.</summary>
public sealed record GetPostChatAnswers(long ConversationId) : IQuery<IReadOnlyList<PostChatAnswer>>;

public sealed class GetPostChatAnswersHandler : IQueryHandler<GetPostChatAnswers, IReadOnlyList<PostChatAnswer>>
{
    public void Authorize(Caller caller, GetPostChatAnswers query)
    {
        if (!caller.IsAgent) throw Common.ChatException.Forbidden("agents only");
    }

    public async ValueTask<IReadOnlyList<PostChatAnswer>> HandleAsync(GetPostChatAnswers query, QueryContext context) =>
        PostChatForm.AnswersOf((await ConversationAccess.ReadAsync(context.Store, context.Caller, query.ConversationId)).PostChatAnswers);
}
