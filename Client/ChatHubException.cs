using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Client;

/// <summary>The base of every error ChatHub.Client throws, so an app catches one type. It is a
/// <see cref="HubException"/>, the type the official client throws for an error the hub reported, so code written
/// for the official client keeps catching it. <see cref="Code"/> says which error: one of
/// <c>ChatHub.Contracts.ErrorCodes</c> when the server refused the call (the hub throws HubException("code: detail"),
/// API.md, Errors; the sessions' REST calls answer the same codes), <see cref="ConnectionClosedCode"/> for
/// <see cref="ChatHubConnectionClosedException"/>, or <see cref="UnknownCode"/> when the server's text carries no
/// code (e.g. "An unexpected error occurred invoking 'X' on the server."). For a refusal by the hub,
/// <see cref="Exception.Message"/> is the server's own message, "code: detail".</summary>
public class ChatHubException : HubException
{
    /// <summary>The server's error named no code.</summary>
    public const string UnknownCode = "unknown";

    /// <summary>The code of <see cref="ChatHubConnectionClosedException"/>: the call got no answer.</summary>
    public const string ConnectionClosedCode = "connection_closed";

    /// <summary>An error with its <paramref name="code"/>, the <paramref name="detail"/> after the code, and the
    /// whole <paramref name="message"/>.</summary>
    public ChatHubException(string code, string detail, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Detail = detail;
    }

    /// <summary>Which error: an <c>ErrorCodes</c> value, <see cref="ConnectionClosedCode"/> or <see cref="UnknownCode"/>.</summary>
    public string Code { get; }

    /// <summary>What the server said after the code (e.g. which field failed validation).</summary>
    public string Detail { get; }

    /// <summary>Reads a completion's error (the message of the official client's HubException). SignalR wraps a
    /// HubException's message as "An unexpected error occurred invoking 'M' on the server. HubException: code:
    /// detail", so the code is looked for after that marker when it is there.</summary>
    internal static ChatHubException FromServerError(string error, Exception? innerException = null)
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
