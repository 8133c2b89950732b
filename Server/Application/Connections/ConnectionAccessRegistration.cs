using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Application.Connections;

public static class ConnectionAccessRegistration
{
    /// <summary>The registry of this node's open connections, their admission, their recheck when rights change (on
    /// this node; AddRedisScaleOut replaces <see cref="IClusterRechecks"/> with the one that reaches every node) and
    /// the sweep that catches changes made by another process.</summary>
    public static IServiceCollection AddConnectionAccess(this IServiceCollection services)
    {
        services.AddSingleton<OpenConnections>();
        services.AddSingleton<AccessRecheck>();
        services.AddSingleton<ConnectionAdmission>();
        services.AddSingleton<IClusterRechecks, SingleNodeRechecks>();
        services.AddSingleton<IEventSink, AccessSink>();
        services.AddHostedService<AccessSweep>();
        return services;
    }
}
