using ChatHub.Server.Application.Connections;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Common;
using ChatHub.Server.Observability;
using ChatHub.Server.ScaleOut;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Cable;

/// <summary>The /cable channel (docs/api.md, "/cable"): Chatwoot's ActionCable endpoint, a WebSocket speaking ActionCable's
/// protocol (<see cref="CableSocket"/>), with the <c>actioncable-v1-json</c> subprotocol when the client offers it (the
/// official client closes otherwise) and with none when it offers none (Chatwoot's client-api-demo, the Flutter SDK).
/// Each socket holds a slot of the <see cref="ConnectionBudget"/> from before its upgrade to its end: unsubscribed
/// (anyone) until a subscription is confirmed, then a contact's or an agent's. Who may subscribe is <see cref="RoomChannel"/>'s and
/// the connection admission's; what a subscription hears is <see cref="CableSink"/>'s, carried to the sockets of every
/// node by <see cref="CableHub"/>'s SignalR lifetime manager. Behind Redis this channel knows the backplane only as
/// <see cref="IBackplaneStatus"/>.</summary>
public static class CableChannel
{
    public const string Path = "/cable";
    public const string SubProtocol = "actioncable-v1-json";
    private const string Transport = "cable";

    public static IServiceCollection AddCableChannel(this IServiceCollection services)
    {
        services.AddSignalRCore(); // CableHub's lifetime manager (behind Redis, AddScaleOut's)
        services.AddSingleton<RoomChannel>();
        services.AddSingleton<CableSockets>();
        services.AddSingleton<CableWireProtocol>();
        services.AddSingleton<IHubProtocol>(sp => sp.GetRequiredService<CableWireProtocol>());
        services.AddSingleton<CablePresence>();
        services.AddSingleton<IEventSink, CableSink>();
        // The cable protocol is CableHub's only one (after SignalR's own setup, which copies every registered protocol
        // into each hub's options); the chat hub names its own.
        services.PostConfigure<HubOptions<CableHub>>(o => o.SupportedProtocols = [CableWireProtocol.ProtocolName]);
        return services;
    }

    public static void MapCableChannel(this WebApplication app)
    {
        var sockets = ((IEndpointRouteBuilder)app).CreateApplicationBuilder();
        sockets.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero }); // ActionCable pings itself
        sockets.Run(AcceptAsync);
        app.Map(Path, sockets.Build());
    }

    private static async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var services = context.RequestServices;
        // Behind Redis, SignalR's backplane cannot take a socket while Redis is away: refused at once, as the hub is.
        if (services.GetService<IBackplaneStatus>() is { IsHealthy: false })
        {
            context.Response.Headers.RetryAfter = "2";
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        // Before the upgrade: a socket past the connection budget is refused with 503, never accepted (issue 20).
        var budget = services.GetRequiredService<ConnectionBudget>();
        using var slot = budget.TryOpen(RealtimeCaller.Unsubscribed, ClientAddress.KeyOf(context), Transport, out var refusal);
        if (slot is null)
        {
            await ConnectionBudget.RefuseAsync(context, refusal);
            return;
        }
        var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol) ? SubProtocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
        var cable = new CableSocket(socket, slot, services.GetRequiredService<RoomChannel>(),
            services.GetRequiredService<ConnectionAdmission>(), services.GetRequiredService<HubLifetimeManager<CableHub>>(),
            services.GetRequiredService<CableWireProtocol>(),
            services.GetRequiredService<RateLimits>(), services.GetRequiredService<IOptions<ChatLimits>>().Value,
            services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var open = services.GetRequiredService<CableSockets>();
        var metrics = services.GetRequiredService<ChatMetrics>();
        open.Add(cable);
        metrics.ConnectionOpened("cable");
        try { await cable.RunAsync(context.RequestAborted); }
        finally
        {
            open.Remove(cable);
            metrics.ConnectionClosed("cable");
        }
        if (cable.ClosedUnsubscribed) budget.Closed(Transport, "no_subscription");
    }
}
