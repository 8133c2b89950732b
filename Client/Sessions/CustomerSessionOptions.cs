using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>Who the customer is and where the chat lives. Store <see cref="CustomerSession.Contact"/>'s
/// <c>SourceId</c> after the first start and pass it back as <see cref="SourceId"/> to be the same customer
/// (and continue the same conversation) the next time the app runs.</summary>
public sealed record CustomerSessionOptions
{
    /// <summary>The server's base address, e.g. <c>http://localhost:5000</c>.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>The inbox's public identifier (the widget's <c>inbox</c>).</summary>
    public required string InboxIdentifier { get; init; }

    /// <summary>The contact of an earlier run; when the server no longer knows it, a new contact is created.</summary>
    public string? SourceId { get; init; }

    /// <summary>Your own user id for this person, with <see cref="IdentifierHash"/> (HMAC-SHA256 of it with the
    /// inbox's HMAC token, computed by your backend) to be recognised on any device.</summary>
    public string? Identifier { get; init; }

    /// <summary>HMAC-SHA256 of <see cref="Identifier"/> with the inbox's HMAC token, hex (from your backend).</summary>
    public string? IdentifierHash { get; init; }

    /// <summary>The customer's name, for a new contact.</summary>
    public string? Name { get; init; }

    /// <summary>The customer's email, for a new contact.</summary>
    public string? Email { get; init; }

    /// <summary>The customer's phone number, for a new contact.</summary>
    public string? PhoneNumber { get; init; }

    /// <summary>Null uses <see cref="ReconnectPolicy.Default"/> (backoff with jitter, retrying until stopped).</summary>
    public IRetryPolicy? Reconnect { get; init; }

    /// <summary>Where the session and its connection (the official client included) log; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    // The source id and identifier hash are the customer's credentials: ToString (logs, debugger displays) never
    // shows them.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ServerUrl = ").Append(ServerUrl).Append(", InboxIdentifier = ").Append(InboxIdentifier);
        return true;
    }
}
