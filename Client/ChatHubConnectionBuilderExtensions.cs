using ChatHub.Contracts;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatHub.Client;

/// <summary>The one way to build a connection to ChatHub: the official <see cref="HubConnectionBuilder"/> pointed
/// at the server with <see cref="WithChatHub"/>, configured with the official extensions
/// (<c>WithAutomaticReconnect</c>, <c>WithStatefulReconnect</c>, <c>WithKeepAliveInterval</c>,
/// <c>WithServerTimeout</c>, <c>ConfigureLogging</c>, <c>AddMessagePackProtocol</c>), then <c>Build()</c> for the official
/// <see cref="HubConnection"/> or <see cref="BuildReliable"/> for a <see cref="ReliableChatConnection"/>.</summary>
public static class ChatHubConnectionBuilderExtensions
{
    /// <summary>The hub at <c>{serverUrl}/hubs/chat</c>, signed in with <paramref name="accessToken"/> (a contact's
    /// <c>pubsub_token</c> or an agent's <c>access_token</c>). <paramref name="configure"/> sets anything else of
    /// the connection: transports, <c>SkipNegotiation</c>, headers, a proxy. The protocol is JSON unless the official
    /// <c>AddMessagePackProtocol()</c> is called on the builder too (before or after this): then MessagePack, with
    /// the DTOs' JsonElement fields (content attributes, submitted values, custom attributes) carried by
    /// <see cref="HubMessagePack"/>'s formatter, which this adds to whatever MessagePack options the app sets.</summary>
    public static IHubConnectionBuilder WithChatHub(this IHubConnectionBuilder builder, Uri serverUrl, string accessToken,
        Action<HttpConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(accessToken);
        // After every Configure, so an app's own AddMessagePackProtocol(o => ...) keeps its settings and gains ours.
        // Options the connection never asks for (a JSON connection) are never built.
        builder.Services.PostConfigure<MessagePackHubProtocolOptions>(o => o.SerializerOptions = HubMessagePack.WithJsonElements(o.SerializerOptions));
        return builder.WithUrl(HubUrl(serverUrl), http =>
        {
            // Sent as a bearer token at negotiate and on the WebSocket upgrade (the server also takes ?access_token=).
            http.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            configure?.Invoke(http);
        });
    }

    /// <summary>Builds the connection as a <see cref="ReliableChatConnection"/>: each change exactly once in seq
    /// order, catch-up by seq, calls retried until acknowledged. It always reconnects: with the policy given to
    /// <c>WithAutomaticReconnect</c>, or <see cref="ReconnectPolicy.Default"/> when none was (an invalid
    /// <see cref="ReconnectPolicy"/> throws <see cref="ArgumentException"/>). Stateful reconnect is on when
    /// <c>WithStatefulReconnect()</c> was called, as with <c>Build()</c>. It logs through the builder's logging
    /// (<c>ConfigureLogging</c>, or an <see cref="ILoggerFactory"/> in the builder's <c>Services</c>).
    /// Like <c>Build()</c>, it may be called once per builder.</summary>
    public static ReliableChatConnection BuildReliable(this IHubConnectionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var registered = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IRetryPolicy) && !d.IsKeyedService);
        if (registered?.ImplementationInstance is ReconnectPolicy policy)
        {
            policy.Validate(); // before anything is built
        }

        // The connection reconnects through a wrapper that remembers why the policy gave up, so Closed can say.
        // The official client resolves its policy (and logging) while Build() makes the connection.
        GiveUpRecorder? recorder = null;
        ILoggerFactory? loggerFactory = null;
        builder.Services.AddSingleton<IRetryPolicy>(services =>
        {
            var inner = registered is null ? ReconnectPolicy.Default : Resolve(registered, services);
            (inner as ReconnectPolicy)?.Validate();
            loggerFactory = services.GetService<ILoggerFactory>();
            return recorder = new GiveUpRecorder(inner);
        });
        var connection = builder.Build();
        if (recorder is null)
        {
            throw new InvalidOperationException("The official client did not ask for a reconnect policy while building the connection.");
        }
        return new ReliableChatConnection(connection, recorder, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary><c>{serverUrl}/hubs/chat</c>, for a server base address such as <c>http://localhost:5000</c>.</summary>
    internal static Uri HubUrl(Uri serverUrl)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        if (!serverUrl.IsAbsoluteUri || serverUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The server URL must be an absolute http or https address.", nameof(serverUrl));
        }
        return new Uri(serverUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + HubPaths.Chat);
    }

    // WithAutomaticReconnect registers an instance; an app registering its own policy in Services may use either other form.
    private static IRetryPolicy Resolve(ServiceDescriptor registered, IServiceProvider services) =>
        (IRetryPolicy)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
