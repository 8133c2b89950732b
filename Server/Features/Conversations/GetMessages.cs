using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Conversations;

/// <summary>A page of a conversation: older history before a message id, or every change after a seq (resync),
/// in the caller's seq stream.</summary>
public sealed record GetMessages(long ConversationId, long? Before, long? AfterSeq, int? Limit) : IQuery<GetMessagesResult>;

public sealed class GetMessagesValidator : AbstractValidator<GetMessages>
{
    public GetMessagesValidator(ChatLimits limits)
    {
        RuleFor(q => q.ConversationId).ConversationId();
        RuleFor(q => q.Before).Must(b => b is null or > 0).WithMessage("before must be a message id").OverridePropertyName("before");
        RuleFor(q => q.AfterSeq).Must(s => s is null or >= 0).WithMessage("after_seq must be 0 or more").OverridePropertyName("after_seq");
        RuleFor(q => q.Limit).Must(l => l is null || (l >= 1 && l <= limits.MaxPageSize))
            .WithMessage($"limit must be 1..{limits.MaxPageSize}").OverridePropertyName("limit");
    }
}

public sealed class GetMessagesHandler(IOptions<ChatLimits> limits) : IQueryHandler<GetMessages, GetMessagesResult>
{
    public async ValueTask<GetMessagesResult> HandleAsync(GetMessages query, QueryContext context)
    {
        var (store, forContact) = (context.Store, context.Caller.IsContact);
        var limit = query.Limit ?? limits.Value.DefaultPageSize;
        var c = await ConversationAccess.ReadAsync(store, context.Caller, query.ConversationId);
        var rows = await store.GetMessagesAsync(new MessageQuery(c.Id, query.Before, query.AfterSeq, limit + 1, forContact));
        var hasMore = rows.Count > limit;
        // After a seq the extra row is the newest; before a cursor (oldest first) it is the oldest.
        var page = await AttachmentFiles.LoadAsync(store,
            !hasMore ? rows : query.AfterSeq is not null ? rows.Take(limit).ToList() : rows.Skip(1).ToList());
        return new GetMessagesResult
        {
            Conversation = await ConversationChanges.AnswerAsync(store, c, forContact),
            Messages = ConversationMapper.ToDtos(page, await Authors.OfMessagesAsync(store, page), c, forContact),
            HasMore = hasMore,
        };
    }
}
