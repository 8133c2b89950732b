using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ChatHub.Server.Rest;

/// <summary>Request bodies as Rails reads them, on Chatwoot's paths (<c>/public/api/v1</c>, <c>/api/v1</c>): JSON,
/// <c>application/x-www-form-urlencoded</c> and multipart text fields (bracket notation nested as
/// <see cref="RailsParams"/> does), and an empty or absent body is no parameters whatever its Content-Type (Chatwoot's
/// npm SDK posts no body under a form type). Forms are turned into the JSON the endpoints bind, so no endpoint reads
/// them itself; multipart to an endpoint that takes files (it accepts multipart/form-data) stays as it is. Anything else
/// with a body is a 415 naming the types accepted. Runs before routing, so that the route is chosen by the JSON
/// Content-Type; the body itself is converted when the endpoint reads it, after authentication and authorization (an
/// unauthenticated caller gets 401 without its body being read). A form body is read whole, up to
/// Limits:MaxRequestBodyBytes (Kestrel's limit for every body but files).</summary>
public sealed class RailsBodies(RequestDelegate next, ChatLimits limits, EndpointDataSource endpoints)
{
    public const string Form = "application/x-www-form-urlencoded";
    public const string Accepted = $"application/json, {Form} or {AttachmentEndpoints.Multipart}";
    private const string Json = "application/json; charset=utf-8";
    private static readonly PathString[] ChatwootPaths = ["/public/api/v1", "/api/v1"];

    private IReadOnlyList<TemplateMatcher>? _fileRoutes;

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !ChatwootPaths.Any(p => request.Path.StartsWithSegments(p)) || request.HasJsonContentType())
        {
            await next(http);
            return;
        }
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type);
        // A Content-Type that does not parse is kept as sent, and refused below; none at all is Rack's form.
        var mediaType = type?.MediaType.Value ?? (string.IsNullOrWhiteSpace(request.ContentType) ? null : request.ContentType);
        var multipart = string.Equals(mediaType, AttachmentEndpoints.Multipart, StringComparison.OrdinalIgnoreCase);
        if (multipart && TakesFiles(request.Path))
        {
            await next(http);
            return;
        }
        if (multipart || mediaType is null || string.Equals(mediaType, Form, StringComparison.OrdinalIgnoreCase))
        {
            var (body, contentType, length) = (request.Body, request.ContentType, request.ContentLength);
            request.Body = new ConvertedOnRead(() => ConvertAsync(request, body, contentType, mediaType, multipart && length != 0));
            request.ContentLength = null;
        }
        // Another type: accepted only without a body (some clients label an empty POST with any type).
        else if (await ReadBoundedAsync(request, request.Body) is { Length: > 0 } body && !IsBlank(body))
        {
            await RefuseAsync(http, mediaType);
            return;
        }
        request.ContentType = Json;
        await next(http);
    }

    /// <summary>The body as the JSON object its fields make ("{}" for none).</summary>
    private async Task<byte[]> ConvertAsync(HttpRequest request, Stream original, string? contentType, string? mediaType, bool multipart)
    {
        if (multipart)
        {
            var form = await MultipartForm.ReadAsync(request, limits, _ => false, maxFiles: 0, filesField: "body", maxFields: RailsParams.MaxFields,
                body: original, contentType: contentType);
            return JsonSerializer.SerializeToUtf8Bytes(RailsParams.ToJson(form.Fields));
        }
        var body = await ReadBoundedAsync(request, original);
        if (IsBlank(body)) return "{}"u8.ToArray();
        // No Content-Type, but JSON: as the client meant it (Rack would take it as a form and find nothing).
        if (mediaType is null && LooksLikeJson(body)) return body;
        return JsonSerializer.SerializeToUtf8Bytes(RailsParams.ToJson(await FieldsAsync(body)));
    }

    /// <summary>415, as a validation problem that names the types accepted.</summary>
    private static async Task RefuseAsync(HttpContext http, string mediaType)
    {
        var sent = mediaType.Length <= 100 ? mediaType : mediaType[..100] + "...";
        var detail = $"the request's Content-Type ({sent}) is not accepted here: send {Accepted}";
        http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType, Title = ErrorCodes.Validation, Detail = detail,
            Extensions = { ["errors"] = new Dictionary<string, string[]> { ["body"] = [detail] } },
        };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    private async Task<byte[]> ReadBoundedAsync(HttpRequest request, Stream original)
    {
        // Kestrel refuses a body over its limit (the same number) on the first read, as it does a JSON body; this bound
        // stands should that limit ever be higher.
        var limit = limits.MaxRequestBodyBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (await original.ReadAsync(chunk, request.HttpContext.RequestAborted) is var read and > 0)
        {
            if (buffer.Length + read > limit) throw TooLarge(limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<List<KeyValuePair<string, string>>> FieldsAsync(byte[] body)
    {
        using var reader = new FormReader(new MemoryStream(body), Encoding.UTF8)
        {
            ValueCountLimit = RailsParams.MaxFields + 1, // one more, so that RailsParams names the limit
            KeyLengthLimit = 1024,
            ValueLengthLimit = body.Length + 1,
        };
        var fields = new List<KeyValuePair<string, string>>();
        try
        {
            while (await reader.ReadNextPairAsync() is { } pair) fields.Add(pair);
        }
        catch (InvalidDataException) // past a reader limit
        {
            throw ChatException.Invalid("body", $"a form body takes at most {RailsParams.MaxFields} fields, each name at most 1024 characters");
        }
        return fields;
    }

    private static bool IsBlank(byte[] body) => body.AsSpan().Trim(" \t\r\n"u8).IsEmpty;

    private static bool LooksLikeJson(byte[] body)
    {
        var text = body.AsSpan().TrimStart(" \t\r\n"u8);
        return text.Length > 0 && text[0] is (byte)'{' or (byte)'[';
    }

    /// <summary>Whether the path is a route that reads multipart itself (it accepts multipart/form-data: messages with
    /// files, uploads), from the routes themselves.</summary>
    private bool TakesFiles(PathString path)
    {
        _fileRoutes ??= endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAcceptsMetadata>().Any(a => a.ContentTypes.Contains(AttachmentEndpoints.Multipart)))
            .Select(e => new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()))
            .ToList();
        return _fileRoutes.Any(route => route.TryMatch(path, new RouteValueDictionary()));
    }

    private static ChatException TooLarge(long limit) =>
        new(ErrorCodes.TooLarge, $"the request body is larger than {AttachmentFiles.Describe(limit)}");
}

/// <summary>A request body that is converted when it is first read: the endpoint's read, after authorization.</summary>
internal sealed class ConvertedOnRead(Func<Task<byte[]>> convert) : Stream
{
    private MemoryStream? _converted;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _converted ??= new MemoryStream(await convert(), writable: false);
        return await _converted.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Kestrel allows no synchronous reads of a request body; neither does this one.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read the body asynchronously");
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Rails casts parameters: a form's <c>private=true</c> or <c>assignee_id=5</c> arrive as strings, and JSON
/// clients written against Rails send them so too. Numbers and booleans are read from strings as well (numbers already
/// are, by the web defaults; said here so that it does not depend on them).</summary>
public static class LenientJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.NumberHandling |= JsonNumberHandling.AllowReadingFromString;
        options.Converters.Add(new BooleanConverter());
    }

    /// <summary>true/false, or as ActiveModel casts them: "true", "1", "on", "t" and "false", "0", "off", "f".</summary>
    private sealed class BooleanConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.String => reader.GetString()?.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "on" or "t" => true,
                "false" or "0" or "off" or "f" or "" => false,
                _ => throw new JsonException("not a boolean"),
            },
            JsonTokenType.Number when reader.TryGetInt64(out var n) && n is 0 or 1 => n == 1,
            _ => throw new JsonException("not a boolean"),
        };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }
}
