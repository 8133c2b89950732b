using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.PostChatForms;

/// <summary>Every agent reads an inbox's post-chat form (the console's settings).</summary>
public sealed record GetPostChatForm(long InboxId) : IQuery<IReadOnlyList<PostChatQuestion>>;

public sealed class GetPostChatFormHandler : IQueryHandler<GetPostChatForm, IReadOnlyList<PostChatQuestion>>
{
    public void Authorize(Caller caller, GetPostChatForm query)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<IReadOnlyList<PostChatQuestion>> HandleAsync(GetPostChatForm query, QueryContext context) =>
        PostChatForm.QuestionsOf((await context.Store.GetInboxAsync(query.InboxId) ?? throw ChatException.NotFound("inbox")).PostChatForm);
}

/// <summary>The widget reads its inbox's post-chat form (public, as the inbox view), to ask it after the CSAT rating.</summary>
public sealed record GetPublicPostChatForm(string InboxIdentifier) : IQuery<IReadOnlyList<PostChatQuestion>>;

public sealed class GetPublicPostChatFormHandler : IQueryHandler<GetPublicPostChatForm, IReadOnlyList<PostChatQuestion>>
{
    public async ValueTask<IReadOnlyList<PostChatQuestion>> HandleAsync(GetPublicPostChatForm query, QueryContext context) =>
        PostChatForm.QuestionsOf((await ContactCredentials.FindInboxAsync(context.Store, query.InboxIdentifier)).PostChatForm);
}
