using System.Security.Claims;
using ChatHub.Contracts;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.ScaleOut;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatHub.Server.Channels.Hub;

/// <summary>Which hub connections this node takes. Every hub connection, whatever its transport (WebSockets,
/// server-sent events, long polling), holds a slot of the <see cref="ConnectionBudget"/> from the start of its transport
/// to its end: taken by the connection middleware in front of the hub (<see cref="UseConnectionBudget"/>, see
/// <see cref="HubChannel"/>), which refuses with a handshake error ("unavailable: ...") and closes when there is none.
/// Before that, the hub's HTTP requests are answered 503 with Retry-After and "unavailable" (<see cref="Guard"/>, on
/// the hub's endpoints, so after authorization: the caller decides which caps apply):
/// <list type="bullet">
/// <item>every one of them while this node's backplane is unhealthy: SignalR's backplane cannot take a connection
/// without Redis (joining its channels would hang), and a clear refusal lets the client's reconnect loop try again,
/// here or elsewhere;</item>
/// <item>the requests that start a connection (negotiate, or a WebSocket that skips negotiation) while its slot could
/// not be taken, so that a client is refused before any upgrade where that can be known.</item>
/// </list></summary>
public static class HubAdmission
{
    public const string Transport = "hub";

    /// <summary>Wraps one of the hub's endpoints (negotiate, connect) in the refusals above.</summary>
    public static RequestDelegate Guard(RequestDelegate endpoint, ConnectionBudget budget, IBackplaneStatus? backplane) => async context =>
    {
        if (backplane is { IsHealthy: false })
        {
            context.Response.Headers.RetryAfter = "2";
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                detail: $"{ErrorCodes.Unavailable}: this node cannot reach its Redis backplane; try again shortly").ExecuteAsync(context);
            return;
        }
        if (StartsConnection(context.Request) && CallerOf(context.User) is { } caller
            && budget.Check(caller, ClientAddress.KeyOf(context), Transport) is var refusal and not ConnectionRefusal.None)
        {
            await ConnectionBudget.RefuseAsync(context, refusal);
            return;
        }
        await endpoint(context);
    };

    /// <summary>The connection middleware; first in front of the hub, so a refused connection reaches nothing else.</summary>
    public static IConnectionBuilder UseConnectionBudget(this IConnectionBuilder builder, ConnectionBudget budget) =>
        builder.Use(next => connection => RunAsync(connection, next, budget));

    private static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next, ConnectionBudget budget)
    {
        var http = connection.GetHttpContext();
        var user = connection.Features.Get<IConnectionUserFeature>()?.User ?? http?.User;
        // The hub's [Authorize] has let only agents and contacts this far; anything else counts as the least trusted.
        var caller = CallerOf(user) ?? RealtimeCaller.Contact;
        var address = http is null ? ClientAddress.Unknown : ClientAddress.KeyOf(http);
        using var slot = budget.TryOpen(caller, address, Transport, out var refusal);
        if (slot is null)
        {
            // The client waits for its handshake answer: it gets the reason, then the connection closes.
            HandshakeProtocol.WriteResponseMessage(new HandshakeResponseMessage(ConnectionBudget.Explain(refusal)), connection.Transport.Output);
            await connection.Transport.Output.FlushAsync();
            return;
        }
        await next(connection);
    }

    /// <summary>Negotiate, or a connect request without a negotiated id (a WebSocket that skips negotiation). Requests
    /// carrying an id belong to a negotiated connection (its transport, its polls, a stateful reconnect): the connection
    /// middleware counts those once.</summary>
    private static bool StartsConnection(HttpRequest request) =>
        request.Path.StartsWithSegments(HubPaths.Chat, out var rest)
        && (rest == "/negotiate" || (rest.Value is null or "" or "/" && !request.Query.ContainsKey("id")));

    private static RealtimeCaller? CallerOf(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true } && user.HasClaim(c => c.Type == TokenAuthenticationHandler.KindClaim)
            ? TokenAuthenticationHandler.FromPrincipal(user).IsAgent ? RealtimeCaller.Agent : RealtimeCaller.Contact
            : null;
}
