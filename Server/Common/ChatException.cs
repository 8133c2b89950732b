using ChatHub.Contracts;

namespace ChatHub.Server.Common;

/// <summary>A domain error with one of API.md's codes. The hub turns it into "code: detail", REST into problem details.</summary>
public sealed class ChatException(string code, string detail) : Exception(detail)
{
    public string Code { get; } = code;
    public string Detail { get; } = detail;
    /// <summary>Per-field messages, for validation errors.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
    /// <summary>When to try again, for rate limits.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ChatException NotFound(string what) => new(ErrorCodes.NotFound, $"{what} not found");
    public static ChatException Forbidden(string detail) => new(ErrorCodes.Forbidden, detail);
    public static ChatException Unauthorized(string detail) => new(ErrorCodes.Unauthorized, detail);
    public static ChatException Invalid(string field, string detail) =>
        new(ErrorCodes.Validation, detail) { Errors = new Dictionary<string, string[]> { [field] = [detail] } };
    public static ChatException Conflict(string detail) => new(ErrorCodes.Conflict, detail);

    public int HttpStatus => Code switch
    {
        ErrorCodes.Validation => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status503ServiceUnavailable,
    };
}
