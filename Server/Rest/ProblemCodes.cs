using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.AspNetCore.Http;

namespace ChatHub.Server.Rest;

/// <summary>Gives problems written by the framework (401 challenges, 404 routes, 405) the same shape as ours:
/// API.md's code as the title and Chatwoot's "message".</summary>
public static class ProblemCodes
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (context.Exception is null && problem.Status is { } status)
        {
            problem.Title = status switch
            {
                StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
                StatusCodes.Status403Forbidden => ErrorCodes.Forbidden,
                StatusCodes.Status404NotFound => ErrorCodes.NotFound,
                StatusCodes.Status413PayloadTooLarge => ErrorCodes.TooLarge,
                StatusCodes.Status429TooManyRequests => ErrorCodes.RateLimited,
                >= 500 => ErrorCodes.Unavailable,
                _ => ErrorCodes.Validation,
            };
            problem.Detail ??= problem.Title switch
            {
                ErrorCodes.Unauthorized => "a valid access token is required",
                ErrorCodes.Forbidden => "you may not do this",
                ErrorCodes.NotFound => "no such resource",
                _ when status == StatusCodes.Status415UnsupportedMediaType =>
                    $"the request's Content-Type ({ContentTypeOf(context.HttpContext)}) is not accepted here: send application/json",
                _ when status == StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on this path",
                _ => problem.Title,
            };
        }
        problem.Extensions.TryAdd("message", problem.Detail);
    }

    private static string ContentTypeOf(HttpContext http)
    {
        var type = (http.Request.ContentType ?? "").Split(';')[0].Trim();
        return type.Length == 0 ? "none" : type.Length <= 100 ? type : type[..100] + "...";
    }
}
