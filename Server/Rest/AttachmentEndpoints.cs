using System.Text;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Rest;

/// <summary>Files over HTTP: messages sent as multipart/form-data (Chatwoot's <c>attachments[]</c>), uploads ahead
/// of a hub SendMessage, and downloads by unguessable URL. Only these endpoints take bodies larger than
/// Limits:MaxRequestBodyBytes. Who asks is checked before the body is read (<see cref="CheckUpload"/>); the body is
/// spooled to disk by ASP.NET (files over 64 KB) and streamed from there into the store; downloads stream out of it.</summary>
public static class AttachmentEndpoints
{
    public const string Multipart = "multipart/form-data";

    /// <summary>A message with files: the same route as the JSON one, chosen by its Content-Type.</summary>
    public static RouteHandlerBuilder AcceptingFiles(this RouteHandlerBuilder endpoint, ChatLimits limits, int files) => endpoint
        .Accepts<IFormCollection>(Multipart)
        .WithMetadata(new RequestSizeLimitAttribute(CheckUploadHandler.MaxBodyBytes(limits, files)));

    /// <summary>POST .../messages with files, beside the JSON endpoint of the same route: <paramref name="caller"/>
    /// says who sends (and refuses whoever may not), <paramref name="shape"/> how the API answers the message.</summary>
    public static void MapMessageWithFiles(this RouteGroupBuilder group, string conversationIdRouteValue,
        Func<HttpContext, Task<Caller>> caller, Func<MessageDto, object> shape)
    {
        var limits = ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<ChatLimits>();
        group.MapPost("/messages", async (HttpContext http, Dispatcher use) =>
        {
            var conversationId = long.Parse((string)http.Request.RouteValues[conversationIdRouteValue]!);
            var sender = await caller(http);
            await use.AskAsync<CheckUpload, Done>(sender, new CheckUpload(conversationId, http.Request.ContentLength, AttachmentFiles.MaxPerMessage));
            var command = await ReadMessageFormAsync(http.Request, conversationId, limits);
            return shape(await use.SendAsync<SendMessage, MessageDto>(sender, command));
        }).AcceptingFiles(limits, AttachmentFiles.MaxPerMessage)
        // A request without a Content-Type matches both: the JSON endpoint answers it, as before.
        .WithOrder(1);
    }

    public static void MapClientUploads(this RouteGroupBuilder inbox, ChatLimits limits) =>
        inbox.MapPost("/contacts/{source_id}/uploads", async (string inbox_identifier, string source_id, HttpRequest request,
            ContactCredentials contacts, Dispatcher use) =>
                await UploadAsync(await contacts.ResolveAsync(inbox_identifier, source_id), request, use, limits))
            .AcceptingFiles(limits, files: 1);

    public static void MapAgentUploads(this RouteGroupBuilder api, ChatLimits limits) =>
        api.MapPost("/uploads", (HttpRequest request, HttpContext http, Dispatcher use) => UploadAsync(http.Agent(), request, use, limits))
            .AcceptingFiles(limits, files: 1);

    private static async Task<AttachmentDto> UploadAsync(Caller caller, HttpRequest request, Dispatcher use, ChatLimits limits)
    {
        await use.AskAsync<CheckUpload, Done>(caller, new CheckUpload(null, request.ContentLength, Files: 1));
        return await use.SendAsync<UploadAttachment, AttachmentDto>(caller, new UploadAttachment(await ReadOneFileAsync(request, limits)));
    }

    /// <summary>GET /attachments/{token}/{name}: the stored bytes with the type found in them, streamed slice by slice,
    /// ranges supported (206, 416; If-Range on the ETag). Only the safe list (raster images, audio, video, PDF) is shown
    /// inline; everything else downloads, sandboxed, never rendered; a PDF is sandboxed too.</summary>
    public static void MapAttachmentDownloads(this WebApplication app) =>
        app.MapGet("/attachments/{token}/{file_name}", async (string token, HttpContext http, Dispatcher use, IChatStore store) =>
        {
            var (file, kind) = await use.AskAsync<GetAttachmentFile, AttachmentDownload>(Caller.Anonymous, new GetAttachmentFile(token));
            var headers = http.Response.Headers;
            headers.ContentDisposition = Disposition(kind.Inline ? "inline" : "attachment", file.FileName);
            headers.XContentTypeOptions = "nosniff";
            if (kind.Sandboxed) headers.ContentSecurityPolicy = "sandbox";
            // The URL names one file forever: caches may keep it (it is private to whoever holds the URL).
            headers.CacheControl = "private, max-age=31536000, immutable";
            return Results.Stream(new StoredFileStream(store, file), kind.ContentType,
                lastModified: DateTimeOffset.FromUnixTimeMilliseconds(file.CreatedAt),
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Token}\""), enableRangeProcessing: true);
        }).Produces(StatusCodes.Status200OK, typeof(byte[]), "application/octet-stream", "image/png", "image/jpeg", "image/gif",
            "image/webp", "application/pdf", "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/flac", "video/mp4",
            "video/webm", "video/quicktime") // the types FileKinds finds in the bytes
            .Produces(StatusCodes.Status206PartialContent).Produces(StatusCodes.Status416RangeNotSatisfiable);

    /// <summary>A message's fields and files from a multipart form (Chatwoot's widget and API send this shape).</summary>
    public static async Task<SendMessage> ReadMessageFormAsync(HttpRequest request, long conversationId, ChatLimits limits)
    {
        var form = await MultipartForm.ReadAsync(request, limits, name => name is "attachments[]" or "attachments",
            AttachmentFiles.MaxPerMessage, filesField: "attachments");
        return new SendMessage(conversationId, form["content"], form["echo_id"], form["content_type"],
            Json(form, "content_attributes"), form["private"] is "true" or "1", form["message_type"], Files: form.Files);
    }

    /// <summary>The one file of an upload (any field name; a second one is a validation error).</summary>
    private static async Task<NewFile?> ReadOneFileAsync(HttpRequest request, ChatLimits limits) =>
        (await MultipartForm.ReadAsync(request, limits, _ => true, maxFiles: 1, filesField: "file")).Files.FirstOrDefault();

    private static JsonElement? Json(MultipartForm form, string name)
    {
        if (form[name] is not { Length: > 0 } text) return null;
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw ChatException.Invalid(name, $"{name} must be a JSON object");
        }
    }

    /// <summary>RFC 6266: an ASCII fallback name and the exact name in UTF-8.</summary>
    private static string Disposition(string type, string fileName)
    {
        var ascii = new StringBuilder();
        foreach (var c in fileName) ascii.Append(c is >= ' ' and < (char)127 and not ('"' or '\\') ? c : '_');
        return $"{type}; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }
}
