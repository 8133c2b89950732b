using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ChatHub.Contracts;
using Microsoft.AspNetCore.Http.Connections;

namespace ChatHub.Client;

/// <summary>The hub's addresses and the negotiate request that precedes the WebSocket.</summary>
internal static class HubEndpoint
{
    // Shared so repeated starts (and later reconnects) reuse connections instead of exhausting sockets.
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

    public static async Task<NegotiationResponse> NegotiateAsync(Uri serverUrl, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(HubUrl(serverUrl) + "/negotiate?negotiateVersion=1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await s_http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new ChatHubUnauthorizedException("The server refused the access token (HTTP 401 at negotiate).");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new ChatHubConnectException($"Negotiate failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        NegotiationResponse negotiation;
        try
        {
            negotiation = NegotiateProtocol.ParseResponse(body);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException)
        {
            throw new ChatHubConnectException("The negotiate response is not valid.", ex);
        }

        if (negotiation.Error is not null)
        {
            throw new ChatHubConnectException($"Negotiate failed: {negotiation.Error}");
        }
        if (negotiation.Url is not null)
        {
            throw new ChatHubConnectException("The server redirected the negotiation; redirects are not supported.");
        }
        if (negotiation.AvailableTransports is { } transports
            && !transports.Any(t => string.Equals(t.Transport, "WebSockets", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ChatHubConnectException("The server does not offer the WebSockets transport.");
        }
        return negotiation;
    }

    /// <summary>ws(s)://host/hubs/chat?id=...&amp;access_token=...; without a connection token (skipped
    /// negotiation) the server creates the connection on upgrade.</summary>
    public static Uri WebSocketUrl(Uri serverUrl, string? connectionToken, string accessToken)
    {
        var builder = new UriBuilder(HubUrl(serverUrl))
        {
            Scheme = serverUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        };
        var id = connectionToken is null ? "" : $"id={Uri.EscapeDataString(connectionToken)}&";
        builder.Query = $"{id}access_token={Uri.EscapeDataString(accessToken)}";
        return builder.Uri;
    }

    private static string HubUrl(Uri serverUrl) => serverUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + HubPaths.Chat;
}
