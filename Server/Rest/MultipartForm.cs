using System.Buffers;
using System.Text;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ChatHub.Server.Rest;

/// <summary>A multipart/form-data body read with a bound on all it may hold: text fields in memory up to
/// Limits:MaxRequestBodyBytes each, files up to Limits:MaxAttachmentBytes each, spooled as ASP.NET spools them
/// (in memory up to 64 KB, then a temporary file in ASPNETCORE_TEMP or the system's, deleted with the request), a
/// bounded number of parts. ASP.NET's own form reader holds a text field of any length (up to 128 MB) in memory, and
/// reads every file to the end before anyone can look at its size.</summary>
public sealed class MultipartForm
{
    /// <summary>Text fields a form may carry beside its files (a message has 6).</summary>
    public const int MaxFields = 16;
    private const int MemoryThreshold = 64 * 1024;

    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _all = [];

    public List<NewFile> Files { get; } = [];

    /// <summary>A text field (the first of that name), or null.</summary>
    public string? this[string name] => _fields.GetValueOrDefault(name);

    /// <summary>Every text field in the order sent, repeated names included (<c>labels[]</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _all;

    /// <summary>Reads the body. Files under a name <paramref name="takesFile"/> accepts are kept, at most
    /// <paramref name="maxFiles"/> (one more is a validation error on <paramref name="filesField"/>, before its bytes are
    /// read); other files are skipped unread. At most <paramref name="maxFields"/> text fields. <paramref name="body"/> and
    /// <paramref name="contentType"/> are the request's own unless given (a body read in place of the request's).</summary>
    public static async Task<MultipartForm> ReadAsync(HttpRequest request, ChatLimits limits, Func<string, bool> takesFile, int maxFiles,
        string filesField, int maxFields = MaxFields, Stream? body = null, string? contentType = null)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType ?? request.ContentType, out var type) || !type.MediaType.Equals(AttachmentEndpoints.Multipart, StringComparison.OrdinalIgnoreCase))
            throw ChatException.Invalid("body", $"send the files as {AttachmentEndpoints.Multipart}");
        var form = new MultipartForm();
        var cancel = request.HttpContext.RequestAborted;
        try
        {
            var reader = new MultipartReader(Boundary(type), body ?? request.Body);
            var fields = 0;
            while (await reader.ReadNextSectionAsync(cancel) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) throw Malformed();
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (!takesFile(name))
                    {
                        await section.Body.DrainAsync(cancel);
                        continue;
                    }
                    if (form.Files.Count == maxFiles)
                        throw ChatException.Invalid(filesField, maxFiles == 1 ? "send one file" : $"a message takes at most {maxFiles} attachments");
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    form.Files.Add(await SpoolAsync(request, section.Body, fileName, limits, cancel));
                }
                else if (disposition.IsFormDisposition())
                {
                    if (++fields > maxFields) throw ChatException.Invalid("body", $"a form takes at most {maxFields} fields");
                    var value = await ReadTextAsync(section.Body, name, limits.MaxRequestBodyBytes, cancel);
                    form._fields.TryAdd(name, value);
                    form._all.Add(new(name, value));
                }
                else
                {
                    await section.Body.DrainAsync(cancel);
                }
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ChatException(ErrorCodes.TooLarge, $"files may be at most {AttachmentFiles.Describe(limits.MaxAttachmentBytes)} each");
        }
        // A body that is not the multipart it claims to be (no boundary, cut short, JSON under a multipart type).
        catch (Exception malformed) when (malformed is InvalidDataException or IOException)
        {
            throw Malformed();
        }
        return form;
    }

    /// <summary>A file's bytes into ASP.NET's buffering stream, refused (413) as soon as they pass the file limit.</summary>
    private static async Task<NewFile> SpoolAsync(HttpRequest request, Stream body, string? fileName, ChatLimits limits, CancellationToken cancel)
    {
        var spooled = new FileBufferingReadStream(body, MemoryThreshold, bufferLimit: null, TempDirectory);
        request.HttpContext.Response.RegisterForDispose(spooled);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long length = 0;
            while (await spooled.ReadAsync(buffer, cancel) is var read and > 0)
            {
                length += read;
                AttachmentFiles.CheckSize(fileName, length, limits);
            }
            spooled.Position = 0;
            return new NewFile(fileName, length, spooled);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string> ReadTextAsync(Stream body, string name, long limit, CancellationToken cancel)
    {
        using var text = new MemoryStream();
        var buffer = new byte[4096];
        while (await body.ReadAsync(buffer, cancel) is var read and > 0)
        {
            if (text.Length + read > limit)
                throw new ChatException(ErrorCodes.TooLarge, $"the form field {name} is larger than {AttachmentFiles.Describe(limit)}");
            text.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }

    // RFC 2046: a boundary is at most 70 characters.
    private static string Boundary(MediaTypeHeaderValue type) =>
        HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 and <= 70 } boundary ? boundary : throw Malformed();

    private static string TempDirectory() =>
        Environment.GetEnvironmentVariable("ASPNETCORE_TEMP") is { Length: > 0 } configured ? configured : Path.GetTempPath();

    private static ChatException Malformed() =>
        ChatException.Invalid("body", $"the request body is not a well-formed {AttachmentEndpoints.Multipart} body");
}
