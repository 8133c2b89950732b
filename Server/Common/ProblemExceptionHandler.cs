using ChatHub.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ChatHub.Server.Common;

/// <summary>Every REST error is RFC 9457 problem details with API.md's code as the title, plus Chatwoot's
/// "message". Malformed requests are 4xx, never 500.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail, errors) = exception switch
        {
            ChatException chat => (chat.HttpStatus, chat.Code, chat.Detail, chat.Errors),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                (bad.StatusCode, ErrorCodes.TooLarge, "the request body is too large", null),
            BadHttpRequestException bad => (bad.StatusCode, ErrorCodes.Validation, bad.Message, null),
            _ => (StatusCodes.Status500InternalServerError, ErrorCodes.Unavailable, "the server could not complete the request", null),
        };
        if (status >= 500) logger.LogError(exception, "Request {Method} {Path} failed", http.Request.Method, http.Request.Path);
        if (exception is ChatException { RetryAfter: { } retryAfter })
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();

        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = code, Detail = detail };
        problem.Extensions["message"] = detail;
        if (errors is not null) problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }
}
