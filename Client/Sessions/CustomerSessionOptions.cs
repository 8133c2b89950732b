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

    public string? IdentifierHash { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? PhoneNumber { get; init; }

    /// <summary>Null uses <see cref="ReconnectPolicy.Default"/> (backoff with jitter, retrying until stopped).</summary>
    public IRetryPolicy? Reconnect { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }
}
