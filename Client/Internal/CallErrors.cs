using System.Net;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Client;

/// <summary>What the official client throws, in ChatHub's terms: a refusal by the hub (a completion with an error)
/// is a <see cref="ChatHubException"/> with its code; everything else that ends a call without an answer (not
/// connected, the connection lost while waiting, a server close) is a <see cref="ChatHubConnectionClosedException"/>,
/// which the reliable layer retries after the reconnect.</summary>
internal static class CallErrors
{
    // HubConnection fails the calls in flight with this HubException when the server closes with an error.
    private const string ServerClosedPrefix = "The server closed the connection";

    /// <summary>The exception to throw instead of <paramref name="error"/>, or null to let it through (the
    /// caller's own cancellation, or an exception already in ChatHub's terms).</summary>
    public static Exception? Translate(Exception error, CancellationToken callerToken) => error switch
    {
        ChatHubException => null,
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        HubException hub when !hub.Message.StartsWith(ServerClosedPrefix, StringComparison.Ordinal) =>
            ChatHubException.FromServerError(hub.Message, hub),
        _ => new ChatHubConnectionClosedException("The call got no answer: the connection was not active or ended first.", error),
    };

    /// <summary>Why a start or reconnect attempt failed, in ChatHub's terms where it has them.</summary>
    public static Exception ConnectFailure(Exception error) =>
        IsRefusedToken(error) ? new ChatHubUnauthorizedException("The server refused the access token (HTTP 401).", error) : error;

    /// <summary>HTTP 401 at negotiate: the token is wrong, revoked or of another server.</summary>
    public static bool IsRefusedToken(Exception? error) =>
        error is ChatHubUnauthorizedException or HttpRequestException { StatusCode: HttpStatusCode.Unauthorized };
}
