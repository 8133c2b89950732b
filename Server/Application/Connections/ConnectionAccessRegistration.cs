using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Application.Connections;

public static class ConnectionAccessRegistration
{
    /// <summary>What every realtime channel admits its connections through: the budget of realtime connections, the
    /// registry of this node's open connections, their admission, their recheck when rights change (on this node;
    /// AddScaleOut replaces <see cref="IClusterRechecks"/> with the one that reaches every node) and the sweep that
    /// catches changes made by another process.</summary>
    public static IServiceCollection AddConnectionAccess(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionBudget>(); // realtime connections of every channel (docs/security.md)
        services.AddSingleton<OpenConnections>();
        services.AddSingleton<AccessRecheck>();
        services.AddSingleton<ConnectionAdmission>();
        services.AddSingleton<IClusterRechecks, SingleNodeRechecks>();
        services.AddSingleton<IEventSink, AccessSink>();
        services.AddHostedService<AccessSweep>();
        return services;
    }
}
