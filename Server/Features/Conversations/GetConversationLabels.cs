using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

/// <summary>An agent of the conversation's inbox reads its labels (Chatwoot's <c>conversations/labels#index</c>):
/// titles, in order. Labels are the agents' own: a contact is refused.</summary>
public sealed record GetConversationLabels(long ConversationId) : IQuery<IReadOnlyList<string>>;

public sealed class GetConversationLabelsValidator : AbstractValidator<GetConversationLabels>
{
    public GetConversationLabelsValidator() => RuleFor(c => c.ConversationId).ConversationId();
}

public sealed class GetConversationLabelsHandler : IQueryHandler<GetConversationLabels, IReadOnlyList<string>>
{
    public void Authorize(Caller caller, GetConversationLabels query) => LabelRules.RequireAgent(caller);

    public async ValueTask<IReadOnlyList<string>> HandleAsync(GetConversationLabels query, QueryContext context) =>
        ConversationLabels.Of(await ConversationAccess.ReadAsync(context.Store, context.Caller, query.ConversationId));
}
