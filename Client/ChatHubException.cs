namespace ChatHub.Client;

/// <summary>A hub call the server refused. The hub throws HubException("code: detail") (API.md, Errors);
/// <see cref="Code"/> is one of <c>ChatHub.Contracts.ErrorCodes</c>, or <see cref="UnknownCode"/> when the
/// server's text carries no code (e.g. "An unexpected error occurred invoking 'X' on the server.").
/// <see cref="Exception.Message"/> is the HubException's own message, "code: detail".</summary>
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

    /// <summary>Reads a completion's error (the message of the official client's HubException). SignalR wraps a
    /// HubException's message as "An unexpected error occurred invoking 'M' on the server. HubException: code:
    /// detail", so the code is looked for after that marker when it is there.</summary>
    public static ChatHubException FromServerError(string error, Exception? innerException = null)
    {
        const string marker = "HubException: ";
        var markerAt = error.IndexOf(marker, StringComparison.Ordinal);
        var message = markerAt >= 0 ? error[(markerAt + marker.Length)..] : error;
        var colon = message.IndexOf(':');
        if (colon > 0 && IsCode(message.AsSpan(0, colon)))
        {
            return new ChatHubException(message[..colon], message[(colon + 1)..].Trim(), message, innerException);
        }
        return new ChatHubException(UnknownCode, message, message, innerException);
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
