using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Attachments;

/// <summary>A file as a request brings it: the name it was given, its length, and its bytes as a stream the store reads
/// slice by slice (an upload is spooled to disk by ASP.NET, never held in memory whole). The stream is seekable: a
/// command that runs again (a lost deadlock) reads it again from the start.</summary>
public sealed record NewFile(string? FileName, long Length, Stream Content);

/// <summary>What the use cases share about attachments: storing a new file, claiming the caller's own pending uploads
/// for a message, loading a message's files for readers, and the wire shape.</summary>
public static class AttachmentFiles
{
    /// <summary>Chatwoot's widget and API take at most 5 files per message.</summary>
    public const int MaxPerMessage = 5;

    /// <summary>Refused before any transaction: nothing of the request is stored.</summary>
    public static void CheckSize(NewFile file, ChatLimits limits) => CheckSize(file.FileName, file.Length, limits);

    public static void CheckSize(string? fileName, long length, ChatLimits limits)
    {
        if (length > limits.MaxAttachmentBytes)
            throw new ChatException(ErrorCodes.TooLarge,
                $"{FileKinds.SafeName(fileName)} is larger than the limit of {Describe(limits.MaxAttachmentBytes)} per file");
    }

    public static string Describe(TimeSpan duration) =>
        duration >= TimeSpan.FromHours(1) ? $"{duration.TotalHours:0.#} h" : duration >= TimeSpan.FromMinutes(1) ? $"{duration.TotalMinutes:0.#} min" : $"{duration.TotalSeconds:0.#} s";

    public static string Describe(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MB" : $"{bytes} bytes";

    /// <summary>Stores a pending upload of the caller's: within its byte budgets (UploadBudgets) and one unit of its
    /// upload rate. The type comes from the file's first bytes; the bytes go to the store slice by slice.</summary>
    public static async ValueTask<AttachmentRow> StoreAsync(CommandContext context, NewFile file, ChatLimits limits)
    {
        await UploadBudgets.CheckAsync(context.Store, context.Caller, file.Length, limits);
        context.Limit(RateLimitedAction.Upload);
        var name = FileKinds.SafeName(file.FileName);
        file.Content.Position = 0;
        var head = new byte[FileKinds.HeadBytes];
        var kind = FileKinds.Of(head.AsSpan(0, AttachmentChunks.Fill(file.Content, head)));
        file.Content.Position = 0;
        var row = new AttachmentRow
        {
            Token = Tokens.NewAttachmentToken(),
            UploaderType = context.Caller.SenderType,
            UploaderId = context.Caller.Id,
            InboxId = context.Caller.ContactInboxId,
            FileName = name,
            FileType = kind.FileType,
            Extension = FileKinds.Extension(name),
            ContentType = kind.ContentType,
            FileSize = file.Length,
            CreatedAt = Clock.NowMs(),
        };
        row.Id = await context.Store.InsertAttachmentAsync(row, file.Content);
        return row;
    }

    /// <summary>Whether a pending upload outlived Limits:PendingUploadTtl (the sweep deletes it soon; until then it is
    /// treated as gone already). An attachment of a message never expires.</summary>
    public static bool Expired(AttachmentRow row, ChatLimits limits, long now) =>
        row.MessageId is null && row.CreatedAt < now - (long)limits.PendingUploadTtl.TotalMilliseconds;

    /// <summary>The caller's own pending uploads, each once; anything else is "not found" (an id of someone else's
    /// upload reveals nothing).</summary>
    public static async ValueTask<List<AttachmentRow>> ClaimAsync(IStoreReader store, Caller caller, IReadOnlyList<long> ids, ChatLimits limits)
    {
        var claimed = new List<AttachmentRow>();
        var now = Clock.NowMs();
        foreach (var id in ids)
        {
            var row = await store.GetAttachmentAsync(id);
            if (row is null || row.UploaderType != caller.SenderType || row.UploaderId != caller.Id || row.MessageId is not null)
                throw ChatException.Invalid("attachment_ids", $"attachment {id} is not a pending upload of yours");
            if (Expired(row, limits, now))
                throw ChatException.Invalid("attachment_ids", $"attachment {id} expired: an upload must be sent within {Describe(limits.PendingUploadTtl)}");
            claimed.Add(row);
        }
        return claimed;
    }

    /// <summary>Fills in the messages' attachments (one query for the page).</summary>
    public static async ValueTask<IReadOnlyList<MessageRow>> LoadAsync(IStoreReader store, IReadOnlyList<MessageRow> messages)
    {
        if (messages.Count == 0) return messages;
        var rows = await store.GetAttachmentsOfMessagesAsync(messages.Select(m => m.Id).ToList());
        if (rows.Count == 0) return messages;
        var byMessage = rows.ToLookup(a => a.MessageId);
        foreach (var m in messages) m.Attachments = byMessage[m.Id].ToList();
        return messages;
    }

    public static string PathOf(AttachmentRow a) => $"/attachments/{a.Token}/{Uri.EscapeDataString(a.FileName)}";

    public static AttachmentDto ToDto(AttachmentRow a) => new()
    {
        Id = a.Id,
        MessageId = a.MessageId,
        FileType = a.FileType,
        Extension = a.Extension,
        DataUrl = PathOf(a),
        ThumbUrl = a.FileType == AttachmentFileTypes.Image ? PathOf(a) : "",
        FileSize = a.FileSize,
        FileName = a.FileName,
    };
}
