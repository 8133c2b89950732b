namespace ChatHub.Client;

/// <summary>A hub call the server refused. The server's error reads "code: detail" (API.md, Errors);
/// <see cref="Code"/> is one of <c>ChatHub.Contracts.ErrorCodes</c>, or <see cref="UnknownCode"/> when the
/// server's text carries no code (e.g. "An unexpected error occurred invoking 'X' on the server.").</summary>
public class ChatHubException : Exception
{
    public const string UnknownCode = "unknown";

    public ChatHubException(string code, string detail, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Detail = detail;
    }

    public string Code { get; }

    public string Detail { get; }

    /// <summary>Splits the server's "code: detail" error text.</summary>
    public static ChatHubException FromServerError(string error)
    {
        var colon = error.IndexOf(':');
        if (colon > 0 && IsCode(error.AsSpan(0, colon)))
        {
            return new ChatHubException(error[..colon], error[(colon + 1)..].Trim(), error);
        }
        return new ChatHubException(UnknownCode, error, error);
    }

    // A code is a short snake_case token; anything else before a colon is prose, not a code.
    private static bool IsCode(ReadOnlySpan<char> text)
    {
        if (text.Length > 32)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
