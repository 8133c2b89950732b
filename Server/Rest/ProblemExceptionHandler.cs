using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Rest;

/// <summary>Every REST error is RFC 9457 problem details with API.md's code as the title, plus Chatwoot's
/// "message". Malformed requests are 4xx, never 500.</summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail, errors) = exception switch
        {
            ChatException chat => (chat.HttpStatus, chat.Code, chat.Detail, chat.Errors),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                (bad.StatusCode, ErrorCodes.TooLarge, "the request body is too large", null),
            BadHttpRequestException bad => Unreadable(bad),
            // ReadFromJsonAsync throws this (not a BadHttpRequestException) for "Content-Type: application/json; charset=nonsense".
            InvalidOperationException when HasUnknownCharset(http.Request) => (StatusCodes.Status415UnsupportedMediaType,
                ErrorCodes.Validation, "the request's charset is not a known encoding; send UTF-8 JSON", null),
            _ => (StatusCodes.Status500InternalServerError, ErrorCodes.Unavailable, "the server could not complete the request", null),
        };
        // The route pattern, not the path: a client API path carries the customer's source_id, a credential.
        if (status >= 500)
            logger.LogError(exception, "Request {Endpoint} failed",
                http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.DisplayName ?? http.Request.Method);
        if (exception is ChatException { RetryAfter: { } retryAfter })
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();

        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = code, Detail = detail };
        problem.Extensions["message"] = detail;
        if (errors is not null) problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>A body or parameter the framework could not read: a validation problem naming the snake_case field
    /// (JSON path, or "body"), without the framework's message, which names internal .NET types.</summary>
    private static (int, string, string, IReadOnlyDictionary<string, string[]>?) Unreadable(BadHttpRequestException bad)
    {
        var (field, detail) = bad.InnerException switch
        {
            JsonException { Path: ['$', '.', .. var path] } => (path, $"{path} has the wrong type or is malformed"),
            JsonException => ("body", "the request body must be a well-formed JSON object"),
            _ when BoundParameter().Match(bad.Message) is { Success: true } m => Invalid(JsonNamingPolicy.SnakeCaseLower.ConvertName(m.Groups[1].Value)),
            _ => ("body", "the request could not be read"),
        };
        return (bad.StatusCode, ErrorCodes.Validation, detail, new Dictionary<string, string[]> { [field] = [detail] });

        static (string, string) Invalid(string name) => (name, $"{name} has an invalid value");
    }

    private static bool HasUnknownCharset(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.Charset.HasValue) return false;
        try
        {
            System.Text.Encoding.GetEncoding(type.Charset.ToString());
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>The parameter's name in the framework's binding message, e.g. limit in: parameter "Nullable&lt;int&gt; limit".</summary>
    [GeneratedRegex(@"parameter ""[^""]*?(\w+)""", RegexOptions.CultureInvariant)]
    private static partial Regex BoundParameter();
}
