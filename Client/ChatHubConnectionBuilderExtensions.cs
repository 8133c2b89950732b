using ChatHub.Contracts;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Client;

/// <summary>Points the official <see cref="HubConnectionBuilder"/> at a ChatHub server.</summary>
public static class ChatHubConnectionBuilderExtensions
{
    /// <summary>The hub at <c>{serverUrl}/hubs/chat</c>, signed in with <paramref name="accessToken"/> (a contact's
    /// <c>pubsub_token</c> or an agent's <c>access_token</c>). <paramref name="configure"/> sets anything else of
    /// the connection: transports, <c>SkipNegotiation</c>, headers, a proxy.</summary>
    public static IHubConnectionBuilder WithChatHub(this IHubConnectionBuilder builder, Uri serverUrl, string accessToken,
        Action<HttpConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(accessToken);
        return builder.WithUrl(HubUrl(serverUrl), http =>
        {
            // Sent as a bearer token at negotiate and on the WebSocket upgrade (the server also takes ?access_token=).
            http.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            configure?.Invoke(http);
        });
    }

    /// <summary><c>{serverUrl}/hubs/chat</c>, for a server base address such as <c>http://localhost:5000</c>.</summary>
    public static Uri HubUrl(Uri serverUrl)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        if (!serverUrl.IsAbsoluteUri || serverUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The server URL must be an absolute http or https address.", nameof(serverUrl));
        }
        return new Uri(serverUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + HubPaths.Chat);
    }
}
