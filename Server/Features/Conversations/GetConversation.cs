using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Conversations;

/// <summary>One conversation with its newest page of messages, as the caller may see it.</summary>
public sealed record GetConversation(long ConversationId) : IQuery<ConversationDto>;

public sealed class GetConversationHandler(IOptions<ChatLimits> limits) : IQueryHandler<GetConversation, ConversationDto>
{
    public async ValueTask<ConversationDto> HandleAsync(GetConversation query, QueryContext context)
    {
        var c = await ConversationAccess.ReadAsync(context.Store, context.Caller, query.ConversationId);
        var forContact = context.Caller.IsContact;
        return await ConversationChanges.AnswerAsync(context.Store, c, forContact,
            await ConversationChanges.LatestMessagesAsync(context.Store, c, forContact, limits.Value.DefaultPageSize));
    }
}
