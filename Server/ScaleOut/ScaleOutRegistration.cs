using ChatHub.Server.Application.Connections;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Hosting;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;

namespace ChatHub.Server.ScaleOut;

public static class ScaleOutRegistration
{
    /// <summary>Several nodes behind one Redis (docs/operations.md, "Scale-out"), when <c>Redis:Configuration</c> is set; otherwise
    /// nothing (a single node: SignalR's in-memory lifetime managers, rechecks on this node only). SignalR's official
    /// Redis backplane carries every SignalR lifetime manager's sends (the hub's, and /cable's broadcasts) on this
    /// node's <see cref="RedisBackplane"/> connection; around it ChatHub adds the health check, rechecks of connections
    /// on every node, and <see cref="IBackplaneStatus"/>, through which each channel refuses connections while Redis is
    /// away and makes good what an outage cost once it is back.</summary>
    public static IServiceCollection AddScaleOut(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(Settings.Read<ScaleOutOptions>(configuration).Configuration)) return services;
        services.AddSettings<ScaleOutOptions>(configuration);
        services.AddSingleton<RedisBackplane>();
        services.AddSingleton<IBackplaneStatus>(sp => sp.GetRequiredService<RedisBackplane>());
        services.AddSingleton<RedisRechecks>();
        services.AddSingleton<IClusterRechecks>(sp => sp.GetRequiredService<RedisRechecks>());
        // Started with the host, so that its channel is subscribed before the node reports healthy, not at the first
        // agent connection.
        services.AddHostedService(sp => sp.GetRequiredService<RedisRechecks>());
        services.AddSingleton<IPresenceBoard, RedisPresenceBoard>(); // presence every node sees, with expiry
        services.AddSingleton<Features.Visitors.IVisitorBoard, RedisVisitorBoard>(); // visitors on the site every node sees, with expiry
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        services.AddSignalRCore().AddStackExchangeRedis(); // replaces the in-memory HubLifetimeManager<> whatever the order
        services.AddOptions<RedisOptions>().Configure<RedisBackplane>((options, backplane) =>
            options.ConnectionFactory = _ => Task.FromResult(backplane.Multiplexer));
        return services;
    }
}
