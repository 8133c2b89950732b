using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Attachments;

/// <summary>A file by its URL's token: whoever has the URL may download it (as Chatwoot's attachment links), from
/// any node, since the bytes are in the store.</summary>
public sealed record GetAttachmentFile(string Token) : IQuery<AttachmentContent>;

public sealed class GetAttachmentFileHandler : IQueryHandler<GetAttachmentFile, AttachmentContent>
{
    public async ValueTask<AttachmentContent> HandleAsync(GetAttachmentFile query, QueryContext context) =>
        query.Token.Length == 32 && await context.Store.FindAttachmentContentAsync(query.Token) is { } file
            ? file : throw ChatException.NotFound("attachment");
}
