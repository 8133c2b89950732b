using System.Text;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>Which agent, where, and which conversations to start with.</summary>
public sealed record AgentSessionOptions
{
    /// <summary>The server's base address, e.g. <c>http://localhost:5000</c>.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>The agent's access token.</summary>
    public required string AccessToken { get; init; }

    /// <summary>The conversations loaded (and tracked) at start and looked for again after a reconnect; the
    /// default is the server's: open conversations of every inbox the agent is a member of.</summary>
    public ListConversationsRequest Conversations { get; init; } = new();

    /// <summary>Null uses <see cref="ReconnectPolicy.Default"/> (backoff with jitter, retrying until stopped).</summary>
    public IRetryPolicy? Reconnect { get; init; }

    /// <summary>Where the session and its connection (the official client included) log; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    // The access token is a credential: ToString (logs, debugger displays) never shows it.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ServerUrl = ").Append(ServerUrl).Append(", AccessToken = ***");
        return true;
    }
}
