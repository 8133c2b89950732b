using ChatHub.Contracts;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Common;
using ChatHub.Server.ScaleOut;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Hub;

/// <summary>The hub channel, <c>/hubs/chat</c> (API.md): <see cref="ChatHub"/> maps each call to a use case; its
/// connections are admitted by the connection admission (Application/Connections) and hold a slot of the
/// <see cref="ConnectionBudget"/> (<see cref="HubAdmission"/>); <see cref="SignalRSink"/> turns events into pushes to
/// SignalR groups, which <see cref="EventPublisher"/> starts in commit order. Behind Redis (ScaleOut/) the groups span
/// every node; this channel knows the backplane only as <see cref="IBackplaneStatus"/>.</summary>
public static class HubChannel
{
    /// <summary>The protocols the hub speaks, each with coded errors: SignalR's JSON protocol (the widget, the console,
    /// any client by default) and its MessagePack protocol (a client's choice; see <see cref="HubMessagePack"/>).</summary>
    private static readonly string[] Protocols = ["json", HubMessagePack.ProtocolName];

    public static IServiceCollection AddHubChannel(this IServiceCollection services, ChatLimits limits)
    {
        services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = limits.MaxHubMessageBytes;
            // An agent (or an integration) may have several sends in flight; each still enqueues in arrival order,
            // so one connection's messages keep their order. SignalR's default of 1 made every send wait for the
            // previous one's commit.
            o.MaximumParallelInvocationsPerClient = limits.MaxParallelInvocationsPerConnection;
            o.EnableDetailedErrors = false;
            o.AddFilter<HubErrorFilter>();
        })
            .AddJsonProtocol()
            .AddMessagePackProtocol(o => o.SerializerOptions = HubMessagePack.WithJsonElements(o.SerializerOptions));
        // Registered after the plain protocols, so each replaces its own under the same name ("json", "messagepack").
        services.AddSingleton<IHubProtocol>(sp => new CodedErrorHubProtocol(
            new JsonHubProtocol(sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>()),
            sp.GetRequiredService<ILogger<CodedErrorHubProtocol>>()));
        services.AddSingleton<IHubProtocol>(sp => new CodedErrorHubProtocol(
            new MessagePackHubProtocol(sp.GetRequiredService<IOptions<MessagePackHubProtocolOptions>>()),
            sp.GetRequiredService<ILogger<CodedErrorHubProtocol>>()));
        // These two only, whatever other protocols the container holds (another channel's internal one): after
        // SignalR's own setup, which copies every registered protocol into each hub's options. Behind Redis a group
        // send is serialised once per protocol named here.
        services.PostConfigure<HubOptions<ChatHub>>(o => o.SupportedProtocols = [.. Protocols]);
        services.AddSingleton<IUserIdProvider, ChatUserIdProvider>();
        services.AddSingleton<HubConnections>();
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<IEventSink, SignalRSink>();
        return services;
    }

    /// <summary>What MapHub does (the hub's attributes, [Authorize] included, and HubMetadata as endpoint metadata), with
    /// connection middlewares in front of the hub: the <see cref="ConnectionBudget"/>'s slot (<see cref="HubAdmission"/>);
    /// <see cref="HubConnections"/> holds the handshake answer until the connection is in its groups and lets the node
    /// close every connection after a backplane outage; <see cref="SlowReaderGuard"/> bounds what waits for a client that
    /// stops reading. The hub's HTTP requests pass <see cref="HubAdmission.Guard"/> first.</summary>
    public static void MapHubChannel(this WebApplication app)
    {
        var services = app.Services;
        var connections = services.GetRequiredService<HubConnections>();
        // Created now, not at the first push: it counts the push queue (chathub.push.queue) from the first scrape and
        // sends again what failed during a backplane outage.
        services.GetRequiredService<EventPublisher>();
        var unsentLimit = services.GetRequiredService<IOptions<ChatLimits>>().Value.MaxUnsentBytesPerConnection;
        var guardLog = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SlowReaderGuard));
        var budget = services.GetRequiredService<ConnectionBudget>();
        var backplane = services.GetService<IBackplaneStatus>();
        // Stateful reconnect: a short drop resumes the same connection (groups kept, nothing lost); see docs/architecture.md, "Reconnects".
        var options = new HttpConnectionDispatcherOptions { AllowStatefulReconnects = true };
        var endpoint = app.MapConnections(HubPaths.Chat, options, builder => builder
            .UseConnectionBudget(budget)
            .Use((connection, next) => connections.RunAsync(connection, next))
            .UseSlowReaderGuard(unsentLimit, guardLog)
            .UseHub<ChatHub>());
        var attributes = typeof(ChatHub).GetCustomAttributes(inherit: true);
        endpoint.Add(e =>
        {
            foreach (var attribute in attributes) e.Metadata.Add(attribute);
            e.Metadata.Add(new HubMetadata(typeof(ChatHub)));
            e.RequestDelegate = HubAdmission.Guard(e.RequestDelegate!, budget, backplane);
        });
    }
}
