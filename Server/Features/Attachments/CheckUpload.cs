using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Attachments;

/// <summary>May the caller send files here? Asked before a request's body is read: a body over what the endpoint takes
/// (by its declared Content-Length), a conversation that is unknown or not the caller's, or a byte budget already spent
/// (for a body that must carry files) is refused when only the headers have arrived, so nobody makes the server read (and spool) megabytes to be told no.
/// The caller's credentials are checked before this (ContactCredentials, or the agent's token). The upload's own
/// transaction checks everything again.</summary>
/// <param name="ConversationId">The conversation a message with files goes to; null for an upload ahead of a message.</param>
/// <param name="DeclaredBodyBytes">The request's Content-Length, when it has one (a chunked body is limited as it is read).</param>
/// <param name="Files">How many files the endpoint takes.</param>
public sealed record CheckUpload(long? ConversationId, long? DeclaredBodyBytes, int Files) : IQuery<Done>;

public sealed class CheckUploadHandler(ChatLimits limits) : IQueryHandler<CheckUpload, Done>
{
    /// <summary>The largest body an endpoint taking <paramref name="files"/> files accepts: the files and the usual fields.</summary>
    public static long MaxBodyBytes(ChatLimits limits, int files) => files * limits.MaxAttachmentBytes + limits.MaxRequestBodyBytes;

    public void Authorize(Caller caller, CheckUpload query)
    {
        if (!caller.IsContact && !caller.IsAgent) throw ChatException.Forbidden("only contacts and agents upload files");
        if (query.DeclaredBodyBytes > MaxBodyBytes(limits, query.Files))
            throw new ChatException(ErrorCodes.TooLarge, $"the request body is {query.DeclaredBodyBytes} bytes: files may be at most " +
                $"{AttachmentFiles.Describe(limits.MaxAttachmentBytes)} each, {query.Files} at most per request");
    }

    public async ValueTask<Done> HandleAsync(CheckUpload query, QueryContext context)
    {
        if (query.ConversationId is { } conversationId) await ConversationAccess.ReadAsync(context.Store, context.Caller, conversationId);
        // A budget spent already (even a 1-byte file would go over) refuses a body that must carry files: one larger than
        // any form of text fields. A smaller one may be a message without files, which no byte budget concerns.
        if (query.DeclaredBodyBytes > limits.MaxRequestBodyBytes)
            await UploadBudgets.CheckAsync(context.Store, context.Caller, adding: 1, limits);
        return new Done();
    }
}
