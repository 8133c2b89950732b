using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Attachments;

/// <summary>A file by its URL's token: whoever has the URL may download it (as Chatwoot's attachment links), from
/// any node, since the bytes are in the store. A pending upload past Limits:PendingUploadTtl is gone already.</summary>
public sealed record GetAttachmentFile(string Token) : IQuery<AttachmentDownload>;

/// <summary>A file to serve: its facts, and what it is by its first bytes (read again at every download, so a change of
/// what is shown inline applies to files stored before it). Its bytes are read as it is sent (<see cref="StoredFileStream"/>).</summary>
public sealed record AttachmentDownload(AttachmentRow File, FileKinds.Kind Kind);

public sealed class GetAttachmentFileHandler(ChatLimits limits) : IQueryHandler<GetAttachmentFile, AttachmentDownload>
{
    public async ValueTask<AttachmentDownload> HandleAsync(GetAttachmentFile query, QueryContext context)
    {
        if (query.Token.Length != 32 || await context.Store.FindAttachmentByTokenAsync(query.Token) is not { } file
            || AttachmentFiles.Expired(file, limits, Clock.NowMs()))
            throw ChatException.NotFound("attachment");
        var head = new byte[FileKinds.HeadBytes];
        var read = await context.Store.ReadAttachmentAsync(file.Id, 0, head);
        return new AttachmentDownload(file, FileKinds.Of(head.AsSpan(0, read)));
    }
}
